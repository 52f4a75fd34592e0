package io.otelpipeline.core.sampling.trace;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * One span with the resource and scope it was reported under. {@code resource} and {@code scope}
 * are headers without children, shared by every span of the same block, so regrouping spans into
 * a request restores the blocks they came from.
 */
public record TraceSpan(ResourceSpans resource, ScopeSpans scope, Span span) {
  public boolean isRoot() {
    return span.getParentSpanId().isEmpty();
  }
}
