package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;

final class AlwaysSamplePolicy implements PolicyEvaluator {
  private final String name;

  AlwaysSamplePolicy(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    return PolicyDecision.sampled(name);
  }
}
