package io.otelpipeline.load;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The spans ingest accepted, per trace (hex trace id): what the loss accounting must find again;
 * and when the client first sent a span of each trace (wall-clock milliseconds at the first
 * attempt of the export request that was accepted), where its delivery latency starts.
 */
final class TraceLedger {
  private final Map<String, Integer> spansByTrace = new HashMap<>();
  private final Map<String, Long> firstSentMillis = new HashMap<>();

  synchronized void accepted(Collection<SpanData> spans, long sentAtMillis) {
    for (SpanData span : spans) {
      spansByTrace.merge(span.getTraceId(), 1, Integer::sum);
      firstSentMillis.merge(span.getTraceId(), sentAtMillis, Math::min);
    }
  }

  synchronized Map<String, Integer> snapshot() {
    return Map.copyOf(spansByTrace);
  }

  /** Per trace, when the client first sent one of its accepted spans. */
  synchronized Map<String, Long> firstSent() {
    return Map.copyOf(firstSentMillis);
  }
}
