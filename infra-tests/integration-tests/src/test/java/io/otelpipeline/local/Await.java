package io.otelpipeline.local;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a condition holds; a deadline that passes first fails with what was seen last. */
final class Await {
  private static final long POLL_MILLIS = 200;

  private Await() {}

  /** Reads {@code probe} until {@code done} accepts a value, and returns that value. */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T seen = probe.get();
      if (done.test(seen)) {
        return seen;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what + "; last seen: " + seen);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting until " + what, e);
      }
    }
  }
}
