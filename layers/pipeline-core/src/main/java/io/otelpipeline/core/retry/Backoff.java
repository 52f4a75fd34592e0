package io.otelpipeline.core.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, the one every retry loop of the pipeline uses: each interval is
 * {@code multiplier} times the previous one, up to the maximum, and each wait is drawn at random
 * around or below it so that many senders recovering together do not retry in step.
 */
public final class Backoff {
  /** Where a wait falls relative to the current interval. */
  public enum Jitter {
    /** Uniformly within the interval ± 50%, as the Collector's {@code retry_on_failure} draws it. */
    AROUND,
    /** Uniformly within 50% to 100% of the interval ("equal jitter"): never longer than the interval. */
    BELOW
  }

  /** The Collector's multiplier: each interval is 1.5 times the previous one. */
  public static final double COLLECTOR_MULTIPLIER = 1.5;

  private final Duration maxInterval;
  private final double multiplier;
  private final Jitter jitter;
  private final RandomGenerator random;
  private Duration interval;

  public Backoff(Duration initialInterval, Duration maxInterval, double multiplier, Jitter jitter, RandomGenerator random) {
    if (multiplier < 1) {
      throw new IllegalArgumentException("a backoff's multiplier must be at least 1, not " + multiplier);
    }
    this.interval = initialInterval;
    this.maxInterval = maxInterval;
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.random = random;
  }

  /** The Collector's {@code retry_on_failure} backoff: times 1.5, waits within ± 50%. */
  public static Backoff collector(Duration initialInterval, Duration maxInterval, RandomGenerator random) {
    return new Backoff(initialInterval, maxInterval, COLLECTOR_MULTIPLIER, Jitter.AROUND, random);
  }

  /** The next wait, and moves the interval on. */
  public Duration next() {
    double base = interval.toNanos();
    double nanos = switch (jitter) {
      case AROUND -> base / 2 + random.nextDouble() * base;
      case BELOW -> base / 2 + random.nextDouble() * (base / 2);
    };
    Duration grown = Duration.ofNanos((long) (base * multiplier));
    interval = grown.compareTo(maxInterval) > 0 ? maxInterval : grown;
    return Duration.ofNanos((long) nanos);
  }
}
