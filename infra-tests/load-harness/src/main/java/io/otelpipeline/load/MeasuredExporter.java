package io.otelpipeline.load;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Wraps the SDK's OTLP exporter (built with its own retries off) to time every request and see
 * every answer: 429 and 503 are counted, then retried here after a doubling pause, as the SDK
 * would (the Retry-After of ingest is one second, the pause starts there), up to
 * {@value #MAX_ATTEMPTS} attempts; other failures are counted and retried the same way.
 */
final class MeasuredExporter implements SpanExporter {
  static final int MAX_ATTEMPTS = 8;
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(8);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final SpanExporter delegate;
  private final IngestMeter meter;

  MeasuredExporter(SpanExporter delegate, IngestMeter meter) {
    this.delegate = delegate;
    this.meter = meter;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    meter.spansOffered.add(spans.size());
    long sentAtMillis = System.currentTimeMillis();
    Duration pause = FIRST_PAUSE;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      long started = System.nanoTime();
      CompletableResultCode result = delegate.export(spans).join(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long answered = System.nanoTime();
      meter.latencyMicros.add((answered - started) / 1000);
      if (result.isSuccess()) {
        meter.spansAccepted.add(spans.size());
        meter.requestsAccepted.increment();
        meter.ledger.accepted(spans, sentAtMillis);
        meter.tracesAccepted.add(spans.stream().filter(s -> !s.getParentSpanContext().isValid()).count());
        meter.lastAcceptedNanos.accumulateAndGet(answered, Math::max);
        return CompletableResultCode.ofSuccess();
      }
      int status = result.getFailureThrowable() instanceof FailedExportException.HttpExportException http && http.failedWithResponse()
          ? http.getResponse().statusCode()
          : 0;
      switch (status) {
        case 429 -> meter.tooManyRequests.increment();
        case 503 -> meter.unavailable.increment();
        default -> meter.otherFailures.increment();
      }
      if (status >= 400 && status < 500 && status != 429) {
        break;
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
    meter.spansGivenUp.add(spans.size());
    return CompletableResultCode.ofFailure();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
