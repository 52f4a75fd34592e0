package io.otelpipeline.core.scrape.exposition;

import java.util.List;
import java.util.Locale;

/** A metric family's type as declared by {@code # TYPE}; families without one are {@link #UNKNOWN}. */
public enum MetricType {
  COUNTER(List.of("_total", "_created")),
  GAUGE(List.of()),
  HISTOGRAM(List.of("_bucket", "_count", "_sum", "_created")),
  GAUGEHISTOGRAM(List.of("_bucket", "_gcount", "_gsum")),
  SUMMARY(List.of("_count", "_sum", "_created")),
  INFO(List.of("_info")),
  STATESET(List.of()),
  /** {@code untyped} in the Prometheus text format, {@code unknown} in OpenMetrics. */
  UNKNOWN(List.of());

  private final List<String> suffixes;

  MetricType(List<String> suffixes) {
    this.suffixes = suffixes;
  }

  /** The sample name suffixes a family of this type may use beside its bare name. */
  List<String> suffixes() {
    return suffixes;
  }

  /** Whether a sample may carry the family's name with no suffix. */
  boolean acceptsBareName(ExpositionFormat format) {
    return switch (this) {
      case GAUGE, STATESET, UNKNOWN, SUMMARY -> true;
      case COUNTER -> format == ExpositionFormat.PROMETHEUS_TEXT;
      default -> false;
    };
  }

  /** The type a {@code # TYPE} token names in a format, or null when that format has no such type. */
  static MetricType fromToken(String token, ExpositionFormat format) {
    String t = token.toLowerCase(Locale.ROOT);
    if (format == ExpositionFormat.PROMETHEUS_TEXT) {
      return switch (t) {
        case "counter" -> COUNTER;
        case "gauge" -> GAUGE;
        case "histogram" -> HISTOGRAM;
        case "summary" -> SUMMARY;
        case "untyped" -> UNKNOWN;
        default -> null;
      };
    }
    return switch (token) {
      case "counter" -> COUNTER;
      case "gauge" -> GAUGE;
      case "histogram" -> HISTOGRAM;
      case "gaugehistogram" -> GAUGEHISTOGRAM;
      case "summary" -> SUMMARY;
      case "info" -> INFO;
      case "stateset" -> STATESET;
      case "unknown" -> UNKNOWN;
      default -> null;
    };
  }
}
