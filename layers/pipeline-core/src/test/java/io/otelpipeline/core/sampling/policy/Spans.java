package io.otelpipeline.core.sampling.policy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.util.ArrayList;
import java.util.List;

/** Builds traces for policy tests. */
final class Spans {
  static final ByteString TRACE_ID = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final ScopeSpans SCOPE = ScopeSpans.getDefaultInstance();

  private final List<TraceSpan> spans = new ArrayList<>();
  private ResourceSpans resource = ResourceSpans.getDefaultInstance();
  private ByteString traceId = TRACE_ID;

  static Spans trace() {
    return new Spans();
  }

  static Span.Builder span() {
    return Span.newBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, (byte) counter++}));
  }

  private static int counter = 1;

  static KeyValue attr(String key, Object value) {
    AnyValue.Builder v = AnyValue.newBuilder();
    if (value instanceof String s) {
      v.setStringValue(s);
    } else if (value instanceof Long l) {
      v.setIntValue(l);
    } else if (value instanceof Integer i) {
      v.setIntValue(i);
    } else if (value instanceof Double d) {
      v.setDoubleValue(d);
    } else if (value instanceof Boolean b) {
      v.setBoolValue(b);
    }
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  Spans id(ByteString id) {
    this.traceId = id;
    return this;
  }

  Spans resource(KeyValue... attributes) {
    resource = ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAllAttributes(List.of(attributes))).build();
    return this;
  }

  Spans with(Span.Builder span) {
    spans.add(new TraceSpan(resource, SCOPE, span.setTraceId(traceId).build()));
    return this;
  }

  Spans withAttributes(KeyValue... attributes) {
    return with(span().addAllAttributes(List.of(attributes)));
  }

  Spans withStatus(Status.StatusCode code) {
    return with(span().setStatus(Status.newBuilder().setCode(code)));
  }

  Spans withTimes(long startNanos, long endNanos) {
    return with(span().setStartTimeUnixNano(startNanos).setEndTimeUnixNano(endNanos));
  }

  Spans withCount(int n) {
    for (int i = 0; i < n; i++) {
      with(span());
    }
    return this;
  }

  Trace build() {
    return new Trace(traceId, List.copyOf(spans));
  }

  static ByteString traceId(long n) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[15 - i] = (byte) (n >>> (8 * i));
    }
    b[0] = 1;
    return ByteString.copyFrom(b);
  }
}
