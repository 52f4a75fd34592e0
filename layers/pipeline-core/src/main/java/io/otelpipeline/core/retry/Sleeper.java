package io.otelpipeline.core.retry;

import java.time.Duration;

/** Waits between retries; injected so that tests control time instead of waiting for it. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
