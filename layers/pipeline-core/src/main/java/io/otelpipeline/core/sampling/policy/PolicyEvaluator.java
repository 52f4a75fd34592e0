package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.util.function.Predicate;

/** One configured policy. Evaluators with state (rate limits, throughput) keep it per container. */
public interface PolicyEvaluator {
  String name();

  PolicyDecision evaluate(Trace trace);

  /** Sampled by {@code policy} when any span of the trace matches, as the Collector's span-condition policies decide. */
  static PolicyDecision anySpan(String policy, Trace trace, Predicate<TraceSpan> matches) {
    for (TraceSpan s : trace.spans()) {
      if (matches.test(s)) {
        return PolicyDecision.sampled(policy);
      }
    }
    return PolicyDecision.notSampled(policy);
  }
}
