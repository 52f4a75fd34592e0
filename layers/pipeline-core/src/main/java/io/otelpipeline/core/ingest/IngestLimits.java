package io.otelpipeline.core.ingest;

import io.otelpipeline.core.config.FunctionEnvironment;
import java.time.Duration;

/**
 * The bounds of one ingest request.
 *
 * @param maxBodyBytes largest body accepted as sent, {@value #DEFAULT_MAX_BODY_BYTES} by default
 *     (Lambda's synchronous payload limit)
 * @param maxDecompressedBytes largest body after gzip, {@value #DEFAULT_MAX_DECOMPRESSED_BYTES} by default
 * @param retryAfter what a refused client is told to wait
 */
public record IngestLimits(long maxBodyBytes, int maxDecompressedBytes, Duration retryAfter) {
  public static final long DEFAULT_MAX_BODY_BYTES = 6_000_000L;
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
