package io.otelpipeline.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.local.OtlpSink;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Watches the harness's OTLP sink: counts each exported span once (trace id and span id), counts
 * duplicates, and takes each span's end-to-end delay, from its end time to when the watcher
 * found it at the sink (it looks every {@value #POLL_MILLIS} ms, which bounds the error), and
 * per trace when its first and its last span (so far) arrived.
 */
final class SinkWatcher implements AutoCloseable {
  static final long POLL_MILLIS = 100;
  private static final HexFormat HEX = HexFormat.of();

  private final OtlpSink sink;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Integer> byTrace = new HashMap<>();
  /** Per trace: the wall-clock milliseconds at which its first and its latest unique span were found at the sink. */
  private final Map<String, long[]> arrivals = new HashMap<>();
  private final Samples delayMillis = new Samples();
  private final Thread thread;
  private int processed;
  private long duplicates;
  private volatile boolean running = true;

  SinkWatcher(OtlpSink sink) {
    this.sink = sink;
    this.thread = new Thread(this::loop, "load-sink-watcher");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  synchronized long uniqueSpans() {
    return seen.size();
  }

  /** Unique spans at the sink per trace (hex trace id). */
  synchronized Map<String, Integer> exportedByTrace() {
    return Map.copyOf(byTrace);
  }

  /** Per trace (hex trace id): when its first and its latest unique span arrived, wall-clock milliseconds. */
  synchronized Map<String, DeliveryLatency.Arrival> arrivals() {
    Map<String, DeliveryLatency.Arrival> out = new HashMap<>();
    arrivals.forEach((trace, a) -> out.put(trace, new DeliveryLatency.Arrival(a[0], a[1])));
    return out;
  }

  /** Per trace, how many of these spans (trace id + span id, hex) are not at the sink. */
  synchronized Map<String, Integer> notAtSink(Set<String> spans) {
    Map<String, Integer> out = new HashMap<>();
    for (String span : spans) {
      if (!seen.contains(span)) {
        out.merge(span.substring(0, 32), 1, Integer::sum);
      }
    }
    return out;
  }

  synchronized long duplicates() {
    return duplicates;
  }

  Samples delayMillis() {
    return delayMillis;
  }

  /** Takes in what arrived since the last look. */
  synchronized void collect() {
    List<ExportTraceServiceRequest> requests = sink.traceRequests();
    long now = System.currentTimeMillis();
    for (; processed < requests.size(); processed++) {
      for (ResourceSpans rs : requests.get(processed).getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            String traceId = HEX.formatHex(span.getTraceId().toByteArray());
            if (seen.add(traceId + HEX.formatHex(span.getSpanId().toByteArray()))) {
              byTrace.merge(traceId, 1, Integer::sum);
              long[] at = arrivals.computeIfAbsent(traceId, t -> new long[] {now, now});
              at[1] = now;
              delayMillis.add(Math.max(0, now - span.getEndTimeUnixNano() / 1_000_000));
            } else {
              duplicates++;
            }
          }
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    collect();
  }

  private void loop() {
    while (running) {
      collect();
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
