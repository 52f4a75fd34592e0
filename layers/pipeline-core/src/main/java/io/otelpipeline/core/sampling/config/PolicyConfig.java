package io.otelpipeline.core.sampling.config;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * One policy of the {@code tail_sampling} processor, decoded from the Collector's keys. Each type
 * is a record holding exactly the keys that type accepts, with the Collector's defaults applied.
 */
public sealed interface PolicyConfig {
  /** The policy's name: the reason recorded with every decision it makes. */
  String name();

  record AlwaysSample(String name) implements PolicyConfig {}

  /** Sampled when the trace's span from earliest start to latest end lasts at least the threshold. */
  record Latency(String name, long thresholdMs, long upperThresholdMs) implements PolicyConfig {}

  record NumericAttribute(String name, String key, OptionalLong minValue, OptionalLong maxValue, boolean invertMatch)
      implements PolicyConfig {}

  record Probabilistic(String name, double samplingPercentage, String hashSalt) implements PolicyConfig {
    /** The Collector's salt when none is configured, so decisions agree with a Collector's. */
    public static final String DEFAULT_HASH_SALT = "default-hash-seed";
  }

  record StatusCode(String name, List<String> statusCodes) implements PolicyConfig {}

  record StringAttribute(
      String name, String key, List<String> values, boolean enabledRegexMatching, int cacheMaxSize, boolean invertMatch)
      implements PolicyConfig {}

  record TraceState(String name, String key, List<String> values) implements PolicyConfig {}

  /** Samples traces with a span whose trace flags carry the sampled flag. */
  record TraceFlags(String name) implements PolicyConfig {}

  record RateLimiting(String name, long spansPerSecond) implements PolicyConfig {}

  record BytesLimiting(String name, long bytesPerSecond, long burstCapacity) implements PolicyConfig {}

  /** {@code maxSpans} 0 means no upper bound. */
  record SpanCount(String name, int minSpans, int maxSpans) implements PolicyConfig {}

  record BooleanAttribute(String name, String key, boolean value, boolean invertMatch) implements PolicyConfig {}

  record OttlCondition(String name, String errorMode, List<String> spanConditions, List<String> spanEventConditions)
      implements PolicyConfig {}

  record And(String name, List<PolicyConfig> subPolicies) implements PolicyConfig {}

  record Not(String name, PolicyConfig subPolicy) implements PolicyConfig {}

  /** Drops the trace when every sub-policy samples it. */
  record Drop(String name, List<PolicyConfig> subPolicies) implements PolicyConfig {}

  record Composite(
      String name,
      long maxTotalSpansPerSecond,
      List<String> policyOrder,
      List<PolicyConfig> subPolicies,
      List<RateAllocation> rateAllocation)
      implements PolicyConfig {}

  record RateAllocation(String policy, int percent) {}

  /**
   * Beyond the Collector: keeps about {@code goalThroughputPerSec} traces per second, spread over
   * the keys built from {@code keyFields}, with per-key rates adjusted every
   * {@code adjustmentInterval} on an exponential moving average of each key's traffic (after
   * Refinery's EMA throughput sampler).
   */
  record EmaThroughput(
      String name,
      double goalThroughputPerSec,
      List<String> keyFields,
      Duration adjustmentInterval,
      double weight,
      double ageOutValue,
      int maxKeys)
      implements PolicyConfig {
    public static final Duration DEFAULT_ADJUSTMENT_INTERVAL = Duration.ofSeconds(15);
    public static final double DEFAULT_WEIGHT = 0.5;
    public static final double DEFAULT_AGE_OUT_VALUE = 0.5;
    public static final int DEFAULT_MAX_KEYS = 500;
  }
}
