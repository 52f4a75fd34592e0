package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;

/**
 * Samples when any span of the trace carries the W3C sampled flag in the trace-flags byte of its
 * OTLP {@code flags}, as the Collector's {@code trace_flags} policy does: the head sampler's
 * choice is kept.
 */
final class TraceFlagsPolicy implements PolicyEvaluator {
  private static final int SAMPLED_FLAG = 0x01;

  private final String name;

  TraceFlagsPolicy(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    return PolicyEvaluator.anySpan(name, trace, s -> (s.span().getFlags() & SAMPLED_FLAG) != 0);
  }
}
