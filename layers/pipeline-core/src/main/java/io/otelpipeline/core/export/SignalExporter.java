package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.Signal;
import java.time.Instant;

/** Sends OTLP requests to the configured backend. */
public interface SignalExporter extends AutoCloseable {
  /**
   * Exports one OTLP Export*ServiceRequest.
   *
   * @param otlpRequest the request's protobuf bytes
   * @param itemCount the spans, data points or log records it holds, for telemetry
   */
  ExportResult export(Signal signal, byte[] otlpRequest, int itemCount);

  /**
   * Exports one request, giving up on retries in time for the caller to report what was not
   * sent before {@code deadline} (a function invocation's end).
   */
  default ExportResult export(Signal signal, byte[] otlpRequest, int itemCount, Instant deadline) {
    return export(signal, otlpRequest, itemCount);
  }

  /**
   * The request size this exporter sends in one piece; callers that merge requests stay below it
   * and larger requests are split.
   */
  default int maxRequestBytes() {
    return ExportSettings.DEFAULT_MAX_REQUEST_BYTES;
  }

  @Override
  default void close() {}
}
