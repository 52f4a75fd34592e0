package io.otelpipeline.core.ingest;

import io.otelpipeline.core.config.FunctionEnvironment;
import java.time.Duration;

/**
 * The bounds of one ingest request.
 *
 * @param maxBodyBytes largest body accepted as sent, {@value #DEFAULT_MAX_BODY_BYTES} by default:
 *     the largest binary body that reaches the function through a Function URL (see
 *     {@link #DEFAULT_MAX_BODY_BYTES})
 * @param maxDecompressedBytes largest body after gzip, {@value #DEFAULT_MAX_DECOMPRESSED_BYTES} by default
 * @param retryAfter what a refused client is told to wait
 */
public record IngestLimits(long maxBodyBytes, int maxDecompressedBytes, Duration retryAfter) {
  /** Lambda's limit on a synchronous invocation's event: the Function URL's request as JSON. */
  public static final long LAMBDA_EVENT_LIMIT_BYTES = 6L * 1024 * 1024;
  /** Room kept in the event for its headers, request context and JSON framing. */
  public static final long EVENT_ENVELOPE_BYTES = 64L * 1024;
  /**
   * A binary body (protobuf, or anything gzip-encoded) travels in the event base64-encoded, four
   * bytes for every three: {@value} bytes is the most that fits beside the envelope. A larger
   * request never reaches the function: Lambda itself answers 413, without an OTLP status.
   */
  public static final long DEFAULT_MAX_BODY_BYTES = (LAMBDA_EVENT_LIMIT_BYTES - EVENT_ENVELOPE_BYTES) / 4 * 3;
  public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

  public static IngestLimits defaults() {
    return new IngestLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_RETRY_AFTER);
  }

  /** Limits from INGEST_MAX_BODY_BYTES and INGEST_MAX_DECOMPRESSED_BYTES. */
  public static IngestLimits from(FunctionEnvironment env) {
    return new IngestLimits(
        env.getLong("INGEST_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
        env.getInt("INGEST_MAX_DECOMPRESSED_BYTES", DEFAULT_MAX_DECOMPRESSED_BYTES),
        env.getDuration("INGEST_RETRY_AFTER", DEFAULT_RETRY_AFTER));
  }
}
