package io.otelpipeline.core.sampling.state;

/**
 * Pauses before re-sending what a batch call left unprocessed (throttling), doubling each time,
 * and gives up after a bounded number of attempts so the invocation fails rather than hangs.
 */
final class Backoff {
  static final int MAX_ATTEMPTS = 8;

  private Backoff() {}

  static void pause(int attempt, String what) {
    if (attempt == 0) {
      return;
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new IllegalStateException(what + ": items still unprocessed after " + MAX_ATTEMPTS + " attempts (throttled)");
    }
    try {
      Thread.sleep(Math.min(2_000L, 25L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + ": interrupted while backing off", e);
    }
  }
}
