package io.otelpipeline.core.export;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter as the Collector's {@code retry_on_failure} computes it: each
 * interval is 1.5 times the previous one, up to the maximum, and the wait is drawn uniformly from
 * interval ± 50% so that many senders recovering together do not retry in step.
 */
final class Backoff {
  static final double MULTIPLIER = 1.5;
  static final double RANDOMIZATION_FACTOR = 0.5;

  private final Duration maxInterval;
  private final RandomGenerator random;
  private Duration interval;

  Backoff(Duration initialInterval, Duration maxInterval, RandomGenerator random) {
    this.interval = initialInterval;
    this.maxInterval = maxInterval;
    this.random = random;
  }

  /** The next wait, and moves the interval on. */
  Duration next() {
    double base = interval.toNanos();
    double delta = RANDOMIZATION_FACTOR * base;
    double nanos = base - delta + random.nextDouble() * (2 * delta);
    Duration grown = Duration.ofNanos((long) (base * MULTIPLIER));
    interval = grown.compareTo(maxInterval) > 0 ? maxInterval : grown;
    return Duration.ofNanos((long) nanos);
  }
}
