package io.otelpipeline.local;

import java.time.Duration;

/**
 * Fires the stack's tick function at a short interval while a test runs, as the template's
 * schedule does every minute: the traces stream's shards move on in time even when the test sends
 * nothing more, so the sampler decides what is due within seconds. A speed knob, not a timing.
 */
final class Ticker implements AutoCloseable {
  private final Thread thread;

  private Ticker(LocalStack stack, Duration interval) {
    this.thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(interval.toMillis());
          stack.fireSchedule("TraceTickFunction");
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // as a schedule would, the next tick tries again
          System.err.println("[ticker] the tick function failed: " + e);
        }
      }
    }, "tick-every-" + interval);
    thread.setDaemon(true);
    thread.start();
  }

  static Ticker every(LocalStack stack, Duration interval) {
    return new Ticker(stack, interval);
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
