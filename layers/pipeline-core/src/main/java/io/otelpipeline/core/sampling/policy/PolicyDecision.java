package io.otelpipeline.core.sampling.policy;

import java.util.OptionalDouble;

/**
 * A decision with its reason: the policy that made it, and for a probability-based keep the
 * probability, so that kept data can be re-weighted downstream.
 */
public record PolicyDecision(Decision decision, String policy, OptionalDouble probability) {
  /** The reason recorded when no policy samples a trace. */
  public static final String NO_POLICY = "no_policy_matched";

  public static PolicyDecision sampled(String policy) {
    return new PolicyDecision(Decision.SAMPLED, policy, OptionalDouble.empty());
  }

  public static PolicyDecision sampled(String policy, double probability) {
    return new PolicyDecision(Decision.SAMPLED, policy, OptionalDouble.of(probability));
  }

  public static PolicyDecision notSampled(String policy) {
    return new PolicyDecision(Decision.NOT_SAMPLED, policy, OptionalDouble.empty());
  }

  public static PolicyDecision dropped(String policy) {
    return new PolicyDecision(Decision.DROPPED, policy, OptionalDouble.empty());
  }

  public boolean isSampled() {
    return decision == Decision.SAMPLED;
  }

  public PolicyDecision withPolicy(String name) {
    return new PolicyDecision(decision, name, probability);
  }
}
