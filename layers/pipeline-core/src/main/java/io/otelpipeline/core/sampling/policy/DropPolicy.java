package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;
import java.util.List;

/** Drops the trace, whatever other policies say, when every sub-policy samples it. */
final class DropPolicy implements PolicyEvaluator {
  private final String name;
  private final List<PolicyEvaluator> subPolicies;

  DropPolicy(String name, List<PolicyEvaluator> subPolicies) {
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
    return PolicyDecision.dropped(name);
  }
}
