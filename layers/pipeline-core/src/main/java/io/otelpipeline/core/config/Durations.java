package io.otelpipeline.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as the Collector's config uses them: {@code 10s}, {@code 1m30s}, {@code 250ms}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

  private Durations() {}

  /** Parses a duration; {@code where} names the key for the error message. */
  public static Duration parse(Object value, String where) {
    if (value instanceof Number n) {
      return Duration.ofNanos(n.longValue());
    }
    String s = String.valueOf(value).trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    long nanos = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double amount = Double.parseDouble(m.group(1));
      long unit =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
          };
      nanos += (long) (amount * unit);
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new ConfigException(where + ": '" + s + "' is not a duration (use forms like 30s, 1m, 500ms)");
    }
    return Duration.ofNanos(nanos);
  }
}
