package io.otelpipeline.core.sampling;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Splits OTLP trace requests into spans with their resource and scope, and puts spans back into requests. */
final class TraceRequests {
  private TraceRequests() {}

  /** Every span of a request, with its resource and scope headers shared among the spans of a block. */
  static void forEachSpan(ExportTraceServiceRequest request, Consumer<TraceSpan> sink) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      ResourceSpans resource = rs.toBuilder().clearScopeSpans().build();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans scope = ss.toBuilder().clearSpans().build();
        for (Span span : ss.getSpansList()) {
          sink.accept(new TraceSpan(resource, scope, span));
        }
      }
    }
  }

  static List<TraceSpan> decode(byte[] request) throws InvalidProtocolBufferException {
    List<TraceSpan> out = new ArrayList<>();
    forEachSpan(ExportTraceServiceRequest.parseFrom(request), out::add);
    return out;
  }

  /** One request with the spans regrouped under equal resources and scopes. */
  static ExportTraceServiceRequest encode(List<TraceSpan> spans) {
    Map<ResourceSpans, Map<ScopeSpans, List<Span>>> grouped = new LinkedHashMap<>();
    for (TraceSpan s : spans) {
      grouped.computeIfAbsent(s.resource(), r -> new LinkedHashMap<>()).computeIfAbsent(s.scope(), c -> new ArrayList<>()).add(s.span());
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    grouped.forEach(
        (resource, scopes) -> {
          ResourceSpans.Builder rs = resource.toBuilder();
          scopes.forEach((scope, list) -> rs.addScopeSpans(scope.toBuilder().addAllSpans(list)));
          request.addResourceSpans(rs);
        });
    return request.build();
  }
}
