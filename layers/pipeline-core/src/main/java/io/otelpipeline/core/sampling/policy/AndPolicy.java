package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;
import java.util.List;

/** Samples only when every sub-policy samples; stops at the first that does not. */
final class AndPolicy implements PolicyEvaluator {
  private final String name;
  private final List<PolicyEvaluator> subPolicies;

  AndPolicy(String name, List<PolicyEvaluator> subPolicies) {
    this.name = name;
    this.subPolicies = subPolicies;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    for (PolicyEvaluator p : subPolicies) {
      if (!p.evaluate(trace).isSampled()) {
        return PolicyDecision.notSampled(name);
      }
    }
    return PolicyDecision.sampled(name);
  }
}
