package io.otelpipeline.core.ingest;

import java.util.Map;

/** The answer to an OTLP/HTTP request: status, content type, body, and extra headers such as Retry-After. */
public record IngestResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public IngestResponse {
    headers = Map.copyOf(headers);
  }
}
