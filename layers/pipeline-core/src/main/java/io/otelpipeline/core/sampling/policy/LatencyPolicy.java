package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;

/**
 * Samples when the trace, from its earliest span start to its latest span end, lasts at least
 * {@code threshold_ms} (and, with an upper bound, more than the threshold and at most the bound).
 */
final class LatencyPolicy implements PolicyEvaluator {
  private final PolicyConfig.Latency config;

  LatencyPolicy(PolicyConfig.Latency config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (TraceSpan s : trace.spans()) {
      min = Math.min(min, s.span().getStartTimeUnixNano());
      max = Math.max(max, s.span().getEndTimeUnixNano());
    }
    long ms = (max - min) / 1_000_000L;
    boolean match =
        config.upperThresholdMs() == 0
            ? ms >= config.thresholdMs()
            : ms > config.thresholdMs() && ms <= config.upperThresholdMs();
    return match ? PolicyDecision.sampled(name()) : PolicyDecision.notSampled(name());
  }
}
