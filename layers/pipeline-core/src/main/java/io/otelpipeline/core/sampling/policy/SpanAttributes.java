package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.util.function.Predicate;

/** Looks an attribute up on a span and then on its resource, as the Collector's attribute policies do. */
final class SpanAttributes {
  private SpanAttributes() {}

  static AnyValue find(TraceSpan span, String key) {
    for (KeyValue kv : span.span().getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    for (KeyValue kv : span.resource().getResource().getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  static boolean anySpan(Iterable<TraceSpan> spans, String key, Predicate<AnyValue> test) {
    for (TraceSpan s : spans) {
      AnyValue v = find(s, key);
      if (v != null && test.test(v)) {
        return true;
      }
    }
    return false;
  }
}
