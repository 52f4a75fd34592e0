package io.otelpipeline.core.export;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.otlp.Signal;

/** Decodes the protobuf bytes of a signal's Export*ServiceRequest into its message type. */
final class OtlpMessages {
  private OtlpMessages() {}

  static Message parse(Signal signal, byte[] otlpRequest) throws InvalidProtocolBufferException {
    return switch (signal) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(otlpRequest);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(otlpRequest);
      case LOGS -> ExportLogsServiceRequest.parseFrom(otlpRequest);
    };
  }
}
