package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.time.Clock;

/**
 * Samples traces while the spans sampled in the current second stay below
 * {@code spans_per_second}. The count is per container: with several concurrent invocations the
 * total is up to that many times the limit.
 */
final class RateLimitingPolicy implements PolicyEvaluator {
  private final String name;
  private final long spansPerSecond;
  private final Clock clock;
  private long currentSecond = Long.MIN_VALUE;
  private long spansInCurrentSecond;

  RateLimitingPolicy(PolicyConfig.RateLimiting config, Clock clock) {
    this.name = config.name();
    this.spansPerSecond = config.spansPerSecond();
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized PolicyDecision evaluate(Trace trace) {
    long second = Math.floorDiv(clock.millis(), 1000L);
    if (second != currentSecond) {
      currentSecond = second;
      spansInCurrentSecond = 0;
    }
    long ifSampled = spansInCurrentSecond + trace.spanCount();
    if (ifSampled < spansPerSecond) {
      spansInCurrentSecond = ifSampled;
      return PolicyDecision.sampled(name);
    }
    return PolicyDecision.notSampled(name);
  }
}
