package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceId;
import java.math.BigInteger;

/**
 * Samples a share of traces as the Collector's probabilistic policy does: the FNV-1a hash of the
 * salt and the trace id's bytes, taken as an unsigned number, is sampled when it is at most the
 * percentage's share of 2^64 - 1. A Collector tier with the same salt and percentage keeps the
 * same traces, and every invocation here gives a trace the same answer.
 */
final class ProbabilisticPolicy implements PolicyEvaluator {
  private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  /** The Collector multiplies in 64-bit binary floating point before taking the integer part. */
  private static final int PRODUCT_PRECISION_BITS = 64;

  private final PolicyConfig.Probabilistic config;
  private final long threshold;
  private final double probability;

  ProbabilisticPolicy(PolicyConfig.Probabilistic config) {
    this.config = config;
    this.probability = Math.min(1.0, Math.max(0.0, config.samplingPercentage() / 100.0));
    this.threshold = unsignedThreshold(config.samplingPercentage() / 100.0);
  }

  /**
   * The largest unsigned 64-bit hash that is sampled: (2^64 - 1) x ratio, rounded to 64
   * significant bits (to nearest, ties to even) and then truncated to an integer, clamped to
   * [0, 2^64 - 1], as the Collector computes it.
   */
  static long unsignedThreshold(double ratio) {
    if (!(ratio > 0)) {
      return 0L;
    }
    if (ratio >= 1.0) {
      return -1L;
    }
    long bits = Double.doubleToLongBits(ratio);
    int exponent = (int) ((bits >>> 52) & 0x7FF);
    long mantissa = bits & ((1L << 52) - 1);
    if (exponent == 0) {
      exponent = 1;
    } else {
      mantissa |= 1L << 52;
    }
    // ratio = mantissa x 2^(exponent - 1075), exactly
    BigInteger product = MAX_UNSIGNED.multiply(BigInteger.valueOf(mantissa));
    int scale = exponent - 1075;
    int excess = product.bitLength() - PRODUCT_PRECISION_BITS;
    if (excess > 0) {
      BigInteger kept = product.shiftRight(excess);
      BigInteger dropped = product.subtract(kept.shiftLeft(excess));
      int half = dropped.compareTo(BigInteger.ONE.shiftLeft(excess - 1));
      if (half > 0 || (half == 0 && kept.testBit(0))) {
        kept = kept.add(BigInteger.ONE);
      }
      product = kept;
      scale += excess;
    }
    BigInteger value = scale >= 0 ? product.shiftLeft(scale) : product.shiftRight(-scale);
    return value.min(MAX_UNSIGNED).longValue();
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    long h = TraceId.fnv1a(config.hashSalt(), trace.traceId());
    if (Long.compareUnsigned(h, threshold) > 0) {
      return PolicyDecision.notSampled(name());
    }
    return probability > 0 ? PolicyDecision.sampled(name(), probability) : PolicyDecision.sampled(name());
  }
}
