package io.otelpipeline.core.export;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.otlp.OtlpCounts;
import io.otelpipeline.core.otlp.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an OTLP request whose bytes exceed a limit into requests that fit, cutting between
 * resources, then between scopes, then between items (spans, metrics, log records); each piece keeps its resource and scope. An
 * item larger than the limit on its own travels alone (the backend decides about it).
 *
 * <p>All three signals share one shape, which the split relies on: the request's field 1 holds the
 * resource entries, whose field 2 holds the scope entries, whose field 2 holds the items.
 */
final class RequestSplitter {
  /** Room for a field's tag and length prefix. */
  private static final int FRAMING_BYTES = 6;

  private RequestSplitter() {}

  /** One piece: its bytes and the items it holds. */
  record Part(byte[] bytes, int itemCount) {}

  static List<Part> split(Signal signal, byte[] otlpRequest, int itemCount, int maxBytes) throws InvalidProtocolBufferException {
    if (otlpRequest.length <= maxBytes) {
      return List.of(new Part(otlpRequest, itemCount));
    }
    Message request = OtlpMessages.parse(signal, otlpRequest);
    List<Part> parts = new ArrayList<>();
    for (Message piece : pack(request, field(request, 1), maxBytes, r -> splitResource(r, maxBytes))) {
      parts.add(new Part(piece.toByteArray(), items(signal, piece)));
    }
    return parts;
  }

  private static List<Message> splitResource(Message resource, int maxBytes) {
    if (resource.getSerializedSize() + FRAMING_BYTES <= maxBytes) {
      return List.of(resource);
    }
    FieldDescriptor scopes = field(resource, 2);
    int room = maxBytes - resource.toBuilder().clearField(scopes).build().getSerializedSize() - FRAMING_BYTES;
    return pack(resource, scopes, maxBytes, s -> splitScope(s, room));
  }

  private static List<Message> splitScope(Message scope, int maxBytes) {
    if (scope.getSerializedSize() + FRAMING_BYTES <= maxBytes) {
      return List.of(scope);
    }
    return pack(scope, field(scope, 2), maxBytes, List::of);
  }

  /**
   * Rebuilds {@code parent} as several messages, each with a run of the (further split) children
   * of {@code children} that fits in {@code maxBytes}.
   */
  private static List<Message> pack(
      Message parent, FieldDescriptor children, int maxBytes, java.util.function.Function<Message, List<Message>> splitChild) {
    Message.Builder empty = parent.toBuilder().clearField(children);
    int baseSize = empty.build().getSerializedSize();
    List<Message> out = new ArrayList<>();
    Message.Builder current = empty.clone();
    int size = baseSize;
    int count = 0;
    for (int i = 0; i < parent.getRepeatedFieldCount(children); i++) {
      for (Message child : splitChild.apply((Message) parent.getRepeatedField(children, i))) {
        int childSize = child.getSerializedSize() + FRAMING_BYTES;
        if (count > 0 && size + childSize > maxBytes) {
          out.add(current.build());
          current = empty.clone();
          size = baseSize;
          count = 0;
        }
        current.addRepeatedField(children, child);
        size += childSize;
        count++;
      }
    }
    if (count > 0) {
      out.add(current.build());
    }
    return out;
  }

  private static FieldDescriptor field(Message m, int number) {
    return m.getDescriptorForType().findFieldByNumber(number);
  }

  private static int items(Signal signal, Message request) {
    return switch (signal) {
      case TRACES -> OtlpCounts.spans((ExportTraceServiceRequest) request);
      case METRICS -> OtlpCounts.dataPoints((ExportMetricsServiceRequest) request);
      case LOGS -> OtlpCounts.logRecords((ExportLogsServiceRequest) request);
    };
  }
}
