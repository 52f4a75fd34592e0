package io.otelpipeline.core.sampling.state;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Durable decisions, one per trace, remembered for the decision TTL so late spans follow them.
 * Spans of a kept trace are exported only under its {@link ExportClaim}, and the ids exported are
 * recorded before the claim is let go, so no span is exported by two invocations.
 */
public interface DecisionStore {
  /** The recorded decisions of those traces that have one (possibly a moment stale). */
  Map<String, TraceDecision> find(Collection<String> traceIds);

  /**
   * Records a decision unless the trace already has one, and returns the decision that holds:
   * this one, or the one another invocation recorded first. A kept decision recorded here holds
   * the export claim for {@code claimant}.
   */
  TraceDecision record(TraceDecision decision, String claimant);

  /**
   * Claims the export of a kept trace's spans for {@code claimant}; returns the decision as it
   * stands now (every span exported so far) or empty while another claimant holds the claim.
   */
  Optional<TraceDecision> claimExport(String traceId, String claimant);

  /** Remembers that these spans of a kept trace have been exported and lets go of the claimant's claim. */
  void markExported(String traceId, Collection<String> spanIds, String claimant);

  /** Lets go of the claimant's claim with nothing exported (the backend failed), so another invocation can export. */
  void release(String traceId, String claimant);
}
