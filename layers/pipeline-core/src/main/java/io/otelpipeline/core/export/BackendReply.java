package io.otelpipeline.core.export;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelpipeline.core.otlp.Signal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/** What an OTLP/HTTP backend answered, read as the OTLP specification says. */
record BackendReply(int status, Optional<Duration> retryAfter, String message, long rejectedItems) {
  /** The only statuses worth retrying, per the OTLP/HTTP specification. */
  static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);
  private static final int MAX_MESSAGE_CHARS = 1000;

  boolean succeeded() {
    return status >= 200 && status < 300;
  }

  boolean retryable() {
    return RETRYABLE_STATUSES.contains(status);
  }

  static BackendReply read(Signal signal, int status, String contentType, byte[] body, Optional<String> retryAfter, Instant now) {
    Optional<Duration> wait = retryAfter.flatMap(v -> parseRetryAfter(v, now));
    if (status >= 200 && status < 300) {
      return partialSuccess(signal, status, contentType, body);
    }
    return new BackendReply(status, wait, errorMessage(contentType, body), 0);
  }

  /**
   * {@code Retry-After} as seconds or as an HTTP date; a value that is neither is ignored and the
   * backoff decides.
   */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /** The backend's reason: a google.rpc.Status message when the body is one, else the body's text. */
  static String errorMessage(String contentType, byte[] body) {
    if (body.length == 0) {
      return "";
    }
    if (contentType != null && contentType.toLowerCase().contains("protobuf")) {
      try {
        Status s = Status.parseFrom(body);
        if (!s.getMessage().isEmpty()) {
          return truncate(s.getMessage());
        }
      } catch (InvalidProtocolBufferException notStatus) {
        return "(undecodable protobuf body of " + body.length + " bytes)";
      }
    }
    return truncate(new String(body, StandardCharsets.UTF_8).strip());
  }

  private static BackendReply partialSuccess(Signal signal, int status, String contentType, byte[] body) {
    if (body.length == 0 || contentType == null || !contentType.toLowerCase().contains("protobuf")) {
      return new BackendReply(status, Optional.empty(), "", 0);
    }
    try {
      return switch (signal) {
        case TRACES -> {
          var p = ExportTraceServiceResponse.parseFrom(body).getPartialSuccess();
          yield new BackendReply(status, Optional.empty(), truncate(p.getErrorMessage()), p.getRejectedSpans());
        }
        case METRICS -> {
          var p = ExportMetricsServiceResponse.parseFrom(body).getPartialSuccess();
          yield new BackendReply(status, Optional.empty(), truncate(p.getErrorMessage()), p.getRejectedDataPoints());
        }
        case LOGS -> {
          var p = ExportLogsServiceResponse.parseFrom(body).getPartialSuccess();
          yield new BackendReply(status, Optional.empty(), truncate(p.getErrorMessage()), p.getRejectedLogRecords());
        }
      };
    } catch (InvalidProtocolBufferException e) {
      return new BackendReply(status, Optional.empty(), "", 0);
    }
  }

  private static String truncate(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
