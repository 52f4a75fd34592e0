package io.otelpipeline.core.ingest;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One OTLP/HTTP request as the ingest function receives it: method, path, headers (looked up
 * without regard to case), the body as sent (still compressed if it was), and the time by which
 * it must be answered.
 */
public record IngestRequest(String method, String path, Map<String, String> headers, byte[] body, Instant deadline) {
  public IngestRequest {
    Map<String, String> lower = new TreeMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    headers = lower;
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
