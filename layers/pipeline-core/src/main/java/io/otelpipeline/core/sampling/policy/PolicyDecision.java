package io.otelpipeline.core.sampling.policy;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A decision with its reason: the policy that made it, for a composite's keep the sub-policy that
 * matched, and for a probability-based keep the probability, so that kept data can be re-weighted
 * downstream.
 */
public record PolicyDecision(Decision decision, String policy, OptionalDouble probability, Optional<String> compositePolicy) {
  /** The reason recorded when no policy samples a trace. */
  public static final String NO_POLICY = "no_policy_matched";

  public static PolicyDecision sampled(String policy) {
    return new PolicyDecision(Decision.SAMPLED, policy, OptionalDouble.empty(), Optional.empty());
  }

  public static PolicyDecision sampled(String policy, double probability) {
    return new PolicyDecision(Decision.SAMPLED, policy, OptionalDouble.of(probability), Optional.empty());
  }

  public static PolicyDecision notSampled(String policy) {
    return new PolicyDecision(Decision.NOT_SAMPLED, policy, OptionalDouble.empty(), Optional.empty());
  }

  public static PolicyDecision dropped(String policy) {
    return new PolicyDecision(Decision.DROPPED, policy, OptionalDouble.empty(), Optional.empty());
  }

  public boolean isSampled() {
    return decision == Decision.SAMPLED;
  }

  /** This sub-policy's decision as the composite {@code name} takes it: the composite is the policy, this one its sub-policy. */
  public PolicyDecision byComposite(String name) {
    return new PolicyDecision(decision, name, probability, Optional.of(policy));
  }
}
