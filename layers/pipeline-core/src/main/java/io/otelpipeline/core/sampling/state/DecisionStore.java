package io.otelpipeline.core.sampling.state;

import java.util.Collection;
import java.util.Map;

/** Durable decisions, one per trace, remembered for the decision TTL so late spans follow them. */
public interface DecisionStore {
  /** The recorded decisions of those traces that have one. */
  Map<String, TraceDecision> find(Collection<String> traceIds);

  /**
   * Records a decision unless the trace already has one, and returns the decision that holds:
   * this one, or the one another invocation recorded first.
   */
  TraceDecision record(TraceDecision decision);

  /** Remembers that these spans of a kept trace have been exported. */
  void markExported(String traceId, Collection<String> spanIds);
}
