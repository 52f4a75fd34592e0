package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;

/** Samples exactly the traces its sub-policy does not. */
final class NotPolicy implements PolicyEvaluator {
  private final String name;
  private final PolicyEvaluator subPolicy;

  NotPolicy(String name, PolicyEvaluator subPolicy) {
    this.name = name;
    this.subPolicy = subPolicy;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    return subPolicy.evaluate(trace).isSampled() ? PolicyDecision.notSampled(name) : PolicyDecision.sampled(name);
  }
}
