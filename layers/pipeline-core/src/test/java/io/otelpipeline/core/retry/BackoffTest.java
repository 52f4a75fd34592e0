package io.otelpipeline.core.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The waits the one backoff draws, with the random draw pinned to its ends. */
class BackoffTest {
  /** Draws the given values in turn. */
  private static RandomGenerator draws(double... values) {
    double[] next = {0};
    return new RandomGenerator() {
      int i;

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public double nextDouble() {
        next[0] = values[i++ % values.length];
        return next[0];
      }
    };
  }

  private static List<Long> millis(Backoff b, int n) {
    return Stream.generate(b::next).limit(n).map(Duration::toMillis).toList();
  }

  @Test
  void theCollectorsBackoffGrowsByHalfAndWaitsWithinFiftyPercentAroundTheInterval() {
    assertEquals(List.of(50L, 75L, 112L, 168L, 200L, 200L),
        millis(Backoff.collector(Duration.ofMillis(100), Duration.ofMillis(400), draws(0)), 6), "lowest draws: half the interval");
    assertEquals(List.of(149L, 224L, 337L, 505L, 599L, 599L),
        millis(Backoff.collector(Duration.ofMillis(100), Duration.ofMillis(400), draws(0.999)), 6), "highest draws: 1.5 times");
  }

  @Test
  void equalJitterNeverWaitsLongerThanTheIntervalAndDoublesUpToTheMaximum() {
    assertEquals(List.of(25L, 50L, 100L, 200L, 250L),
        millis(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2, Backoff.Jitter.BELOW, draws(0)), 5));
    assertEquals(List.of(49L, 99L, 199L, 399L, 499L),
        millis(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2, Backoff.Jitter.BELOW, draws(0.999)), 5));
  }

  @Test
  void aShrinkingBackoffIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 0.5, Backoff.Jitter.AROUND, draws(0)));
  }
}
