package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceId;

/**
 * Samples a share of traces by hashing the trace id with the salt: the same trace gets the same
 * answer in every invocation and container, so spans handled apart agree.
 */
final class ProbabilisticPolicy implements PolicyEvaluator {
  private static final java.math.BigDecimal TWO_TO_64 = new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(64));

  private final PolicyConfig.Probabilistic config;
  private final long threshold;
  private final double probability;

  ProbabilisticPolicy(PolicyConfig.Probabilistic config) {
    this.config = config;
    this.probability = config.samplingPercentage() / 100.0;
    this.threshold = unsignedThreshold(probability);
  }

  /** The largest unsigned 64-bit hash that is sampled; hashes are uniform over the whole range. */
  static long unsignedThreshold(double probability) {
    if (probability >= 1.0) {
      return -1L;
    }
    return new java.math.BigDecimal(probability).multiply(TWO_TO_64).toBigInteger().longValue();
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    if (probability <= 0) {
      return PolicyDecision.notSampled(name());
    }
    long h = TraceId.hash(config.hashSalt(), trace.traceId());
    return Long.compareUnsigned(h, threshold) <= 0
        ? PolicyDecision.sampled(name(), probability)
        : PolicyDecision.notSampled(name());
  }
}
