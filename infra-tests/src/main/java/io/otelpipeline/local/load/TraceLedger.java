package io.otelpipeline.local.load;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The spans ingest accepted, per trace (hex trace id): what the loss accounting must find again. */
final class TraceLedger {
  private final Map<String, Integer> spansByTrace = new HashMap<>();

  synchronized void accepted(Collection<SpanData> spans) {
    for (SpanData span : spans) {
      spansByTrace.merge(span.getTraceId(), 1, Integer::sum);
    }
  }

  synchronized Map<String, Integer> snapshot() {
    return Map.copyOf(spansByTrace);
  }
}
