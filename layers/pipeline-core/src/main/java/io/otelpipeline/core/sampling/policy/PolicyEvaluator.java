package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;

/** One configured policy. Evaluators with state (rate limits, throughput) keep it per container. */
public interface PolicyEvaluator {
  String name();

  PolicyDecision evaluate(Trace trace);
}
