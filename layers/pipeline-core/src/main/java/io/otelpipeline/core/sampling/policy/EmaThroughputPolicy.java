package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps about {@code goal_throughput_per_sec} traces per second, after Refinery's EMA throughput
 * sampler: traces are counted per key (the values of {@code key_fields} on the root span or its
 * resource); every {@code adjustment_interval} each key's count is folded into an exponential
 * moving average, and the goal is shared out so that rare keys are kept whole and busy keys get
 * the rest in equal parts. Whether a trace is kept is a hash of its id against its key's
 * probability, so retried decisions agree. The averages are per container: the goal applies to
 * each concurrent invocation (shard times parallelization factor).
 */
final class EmaThroughputPolicy implements PolicyEvaluator {
  /** Keys beyond {@code max_keys} share this one. */
  static final String OVERFLOW_KEY = "(other)";
  private static final String SALT = "ema_throughput";

  private final PolicyConfig.EmaThroughput config;
  private final Clock clock;
  private final long intervalMillis;
  private final Map<String, Long> counts = new HashMap<>();
  private final Map<String, Double> averages = new HashMap<>();
  private final Map<String, Double> probabilities = new HashMap<>();
  private long intervalStart;
  private long countedThisInterval;

  EmaThroughputPolicy(PolicyConfig.EmaThroughput config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.intervalMillis = config.adjustmentInterval().toMillis();
    this.intervalStart = clock.millis();
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public synchronized PolicyDecision evaluate(Trace trace) {
    long now = clock.millis();
    while (now - intervalStart >= intervalMillis) {
      adjust();
      intervalStart += intervalMillis;
    }
    String key = key(trace.representative());
    if (!counts.containsKey(key) && counts.size() >= config.maxKeys()) {
      key = OVERFLOW_KEY;
    }
    counts.merge(key, 1L, Long::sum);
    countedThisInterval++;
    double p = probabilities.getOrDefault(key, coldProbability());
    double u = (TraceId.hash(SALT, trace.traceId()) >>> 11) * 0x1.0p-53;
    return u < p ? PolicyDecision.sampled(name(), p) : PolicyDecision.notSampled(name());
  }

  /** The probability the key would get now; for tests and telemetry. */
  synchronized double probability(String key) {
    return probabilities.getOrDefault(key, coldProbability());
  }

  /** Before any average exists: keep everything until the interval's goal is spent, then the goal's share. */
  private double coldProbability() {
    double goal = goalPerInterval();
    return countedThisInterval <= goal ? 1.0 : goal / countedThisInterval;
  }

  private double goalPerInterval() {
    return config.goalThroughputPerSec() * intervalMillis / 1000.0;
  }

  private void adjust() {
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      averages.putIfAbsent(e.getKey(), (double) e.getValue());
    }
    List<String> aged = new ArrayList<>();
    for (Map.Entry<String, Double> e : averages.entrySet()) {
      double count = counts.getOrDefault(e.getKey(), 0L);
      double ema = config.weight() * count + (1 - config.weight()) * e.getValue();
      if (ema < config.ageOutValue()) {
        aged.add(e.getKey());
      } else {
        e.setValue(ema);
      }
    }
    aged.forEach(averages::remove);
    counts.clear();
    countedThisInterval = 0;
    probabilities.clear();
    probabilities.putAll(shares(averages, goalPerInterval()));
  }

  /**
   * Water-filling: keys in ascending order of traffic each get an equal part of what is left of
   * the goal; a key below its part is kept whole and leaves the remainder to the busier keys.
   */
  static Map<String, Double> shares(Map<String, Double> averages, double goal) {
    List<Map.Entry<String, Double>> byTraffic = new ArrayList<>(averages.entrySet());
    byTraffic.sort(Map.Entry.comparingByValue());
    Map<String, Double> out = new HashMap<>();
    double left = goal;
    int remaining = byTraffic.size();
    for (Map.Entry<String, Double> e : byTraffic) {
      double part = left / remaining--;
      double traffic = e.getValue();
      if (traffic <= part) {
        out.put(e.getKey(), 1.0);
        left -= traffic;
      } else {
        out.put(e.getKey(), part / traffic);
        left -= part;
      }
    }
    return out;
  }

  private String key(TraceSpan span) {
    StringBuilder b = new StringBuilder();
    for (String field : config.keyFields()) {
      AnyValue v = SpanAttributes.find(span, field);
      if (b.length() > 0) {
        b.append('|');
      }
      if (v != null) {
        b.append(
            switch (v.getValueCase()) {
              case STRING_VALUE -> v.getStringValue();
              case INT_VALUE -> Long.toString(v.getIntValue());
              case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
              case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
              default -> "";
            });
      }
    }
    return b.toString();
  }
}
