package io.otelpipeline.load;

import io.otelpipeline.local.OtlpSink;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend outage during a local run: the harness's own OTLP sink answers 503 (through the switch
 * the integration tests use, {@link OtlpSink#respondWith}) from {@code at} after the start of the
 * load for {@code length}, then 200 again. Times are {@link System#nanoTime()}.
 */
final class BackendOutage implements AutoCloseable {
  private final OtlpSink sink;
  private final ScheduledExecutorService timer;
  private final long plannedStart;
  private final long plannedEnd;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong ended = new AtomicLong();

  private BackendOutage(OtlpSink sink, long loadStart, Duration at, Duration length, PrintStream out) {
    this.sink = sink;
    this.plannedStart = loadStart + at.toNanos();
    this.plannedEnd = plannedStart + length.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-backend-outage");
      t.setDaemon(true);
      return t;
    });
    long now = System.nanoTime();
    timer.schedule(() -> {
      sink.respondWith(503);
      started.set(System.nanoTime());
      out.printf(Locale.ROOT, "backend outage: the sink answers 503 for %s%n", length);
    }, Math.max(0, plannedStart - now), TimeUnit.NANOSECONDS);
    timer.schedule(() -> {
      sink.respondWith(200);
      ended.set(System.nanoTime());
      out.printf(Locale.ROOT, "backend outage over: the sink answers 200 again (%,d trace requests refused)%n", sink.refusedTraceRequests());
    }, Math.max(0, plannedEnd - now), TimeUnit.NANOSECONDS);
  }

  /** Starts the timer: the outage begins {@code at} after {@code loadStart} (System.nanoTime()). */
  static BackendOutage schedule(OtlpSink sink, long loadStart, Duration at, Duration length, PrintStream out) {
    return new BackendOutage(sink, loadStart, at, length, out);
  }

  /** When the sink answers 200 again (as planned; {@link #endedAt} once it has happened). */
  long plannedEnd() {
    return plannedEnd;
  }

  boolean over() {
    return ended.get() != 0;
  }

  /** When the sink began answering 503, or 0 if not yet. */
  long startedAt() {
    return started.get();
  }

  /** When the sink answered 200 again, or 0 if not yet. */
  long endedAt() {
    return ended.get();
  }

  /** Ends the outage now if it is still on (a run that stops early must not leave the sink refusing). */
  @Override
  public void close() {
    timer.shutdownNow();
    if (started.get() != 0 && ended.get() == 0) {
      sink.respondWith(200);
      ended.set(System.nanoTime());
    }
  }
}
