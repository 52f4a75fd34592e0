package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;

/** Samples traces with at least {@code min_spans} and, when {@code max_spans} is set, at most that many. */
final class SpanCountPolicy implements PolicyEvaluator {
  private final PolicyConfig.SpanCount config;

  SpanCountPolicy(PolicyConfig.SpanCount config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    int n = trace.spanCount();
    boolean match = n >= config.minSpans() && (config.maxSpans() == 0 || n <= config.maxSpans());
    return match ? PolicyDecision.sampled(name()) : PolicyDecision.notSampled(name());
  }
}
