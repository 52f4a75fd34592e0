package io.otelpipeline.core.sampling.ottl;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/** What a condition sees: a span with its resource, and the event being looked at in the span event context. */
public record SpanView(Resource resource, Span span, Span.Event event) {
  public static SpanView of(Resource resource, Span span) {
    return new SpanView(resource, span, null);
  }

  public SpanView withEvent(Span.Event e) {
    return new SpanView(resource, span, e);
  }

  /** An attribute as a Java value (String, Long, Double, Boolean), or null when absent or of another type. */
  static Object attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return value(kv.getValue());
      }
    }
    return null;
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      default -> null;
    };
  }
}
