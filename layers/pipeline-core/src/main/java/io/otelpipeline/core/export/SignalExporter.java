package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.Signal;

/** Sends OTLP requests to the configured backend. */
public interface SignalExporter extends AutoCloseable {
  /**
   * Exports one OTLP Export*ServiceRequest.
   *
   * @param otlpRequest the request's protobuf bytes
   * @param itemCount the spans, data points or log records it holds, for telemetry
   */
  ExportResult export(Signal signal, byte[] otlpRequest, int itemCount);

  @Override
  default void close() {}
}
