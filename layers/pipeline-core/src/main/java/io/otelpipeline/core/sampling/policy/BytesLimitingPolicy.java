package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Clock;

/**
 * A token bucket over the traces' encoded size: refilled at {@code bytes_per_second} up to
 * {@code burst_capacity}; a trace is sampled when the bucket holds its size. Per container.
 */
final class BytesLimitingPolicy implements PolicyEvaluator {
  private final String name;
  private final double bytesPerSecond;
  private final double capacity;
  private final Clock clock;
  private double tokens;
  private long lastRefillMillis;

  BytesLimitingPolicy(PolicyConfig.BytesLimiting config, Clock clock) {
    this.name = config.name();
    this.bytesPerSecond = config.bytesPerSecond();
    this.capacity = config.burstCapacity();
    this.clock = clock;
    this.tokens = capacity;
    this.lastRefillMillis = clock.millis();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized PolicyDecision evaluate(Trace trace) {
    long now = clock.millis();
    tokens = Math.min(capacity, tokens + (now - lastRefillMillis) * bytesPerSecond / 1000.0);
    lastRefillMillis = now;
    long size = 0;
    for (TraceSpan s : trace.spans()) {
      size += s.span().getSerializedSize();
    }
    if (size <= tokens) {
      tokens -= size;
      return PolicyDecision.sampled(name);
    }
    return PolicyDecision.notSampled(name);
  }
}
