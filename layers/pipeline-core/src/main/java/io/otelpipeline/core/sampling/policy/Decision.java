package io.otelpipeline.core.sampling.policy;

/** What a policy says about a trace. */
public enum Decision {
  SAMPLED,
  NOT_SAMPLED,
  /** Drop regardless of what any other policy says. */
  DROPPED
}
