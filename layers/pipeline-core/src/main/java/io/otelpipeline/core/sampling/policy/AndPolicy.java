package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Matches when every sub-policy samples, stopping at the first that does not. The Collector's
 * {@code and} policy then samples the trace; its {@code drop} policy, the same match, drops it
 * whatever other policies say.
 */
final class AndPolicy implements PolicyEvaluator {
  private final String name;
  private final List<PolicyEvaluator> subPolicies;
  private final Function<String, PolicyDecision> whenAllMatch;

  private AndPolicy(String name, List<PolicyEvaluator> subPolicies, Function<String, PolicyDecision> whenAllMatch) {
    this.name = name;
    this.subPolicies = subPolicies;
    this.whenAllMatch = whenAllMatch;
  }

  /** The {@code and} policy: samples when every sub-policy samples. */
  static AndPolicy sampling(String name, List<PolicyEvaluator> subPolicies) {
    return new AndPolicy(name, subPolicies, PolicyDecision::sampled);
  }

  /** The {@code drop} policy: drops when every sub-policy samples. */
  static AndPolicy dropping(String name, List<PolicyEvaluator> subPolicies) {
    return new AndPolicy(name, subPolicies, PolicyDecision::dropped);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * When every sub-policy samples, the decision carries the smallest probability among them (a
   * probabilistic sub-policy's), so an {@code and} keep raises the span's threshold as that
   * sub-policy alone would.
   */
  @Override
  public PolicyDecision evaluate(Trace trace) {
    OptionalDouble probability = OptionalDouble.empty();
    for (PolicyEvaluator p : subPolicies) {
      PolicyDecision d = p.evaluate(trace);
      if (!d.isSampled()) {
        return PolicyDecision.notSampled(name);
      }
      if (d.probability().isPresent() && (probability.isEmpty() || d.probability().getAsDouble() < probability.getAsDouble())) {
        probability = d.probability();
      }
    }
    PolicyDecision all = whenAllMatch.apply(name);
    return all.isSampled() && probability.isPresent() ? PolicyDecision.sampled(name, probability.getAsDouble()) : all;
  }
}
