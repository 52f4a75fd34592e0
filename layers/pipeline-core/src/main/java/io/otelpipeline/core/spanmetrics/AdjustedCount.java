package io.otelpipeline.core.spanmetrics;

/**
 * How many spans one sampled span stands for, from the rejection threshold that OpenTelemetry
 * probability sampling writes into the W3C tracestate ({@code ot=th:<hex>}). A threshold
 * {@code T} (56 bits, given as up to 14 hex digits with trailing zeros dropped) keeps a span with
 * probability {@code (2^56 - T) / 2^56}, so each kept span counts {@code 2^56 / (2^56 - T)} times.
 *
 * <p>Counts are whole numbers in OTLP histograms, so the adjusted count is rounded to the nearest
 * integer: exact for the common probabilities {@code 1/N}, within half a span otherwise. A span
 * with no threshold, or one that cannot be read, counts once.
 */
public final class AdjustedCount {
  private static final double TWO_TO_56 = 0x1p56;
  private static final int THRESHOLD_DIGITS = 14;

  private AdjustedCount() {}

  public static long of(String traceState) {
    if (traceState == null || traceState.isEmpty()) {
      return 1;
    }
    String ot = member(traceState, "ot");
    if (ot == null) {
      return 1;
    }
    for (String field : ot.split(";")) {
      if (field.startsWith("th:")) {
        return fromThreshold(field.substring(3));
      }
    }
    return 1;
  }

  static long fromThreshold(String hex) {
    if (hex.isEmpty() || hex.length() > THRESHOLD_DIGITS) {
      return 1;
    }
    long threshold = 0;
    for (int i = 0; i < THRESHOLD_DIGITS; i++) {
      int digit = i < hex.length() ? Character.digit(hex.charAt(i), 16) : 0;
      if (digit < 0) {
        return 1;
      }
      threshold = (threshold << 4) | digit;
    }
    double kept = TWO_TO_56 - threshold;
    return Math.max(1, Math.round(TWO_TO_56 / kept));
  }

  /** The value of one list member of a W3C tracestate, or null. */
  private static String member(String traceState, String key) {
    for (String entry : traceState.split(",")) {
      String e = entry.trim();
      int eq = e.indexOf('=');
      if (eq > 0 && e.substring(0, eq).equals(key)) {
        return e.substring(eq + 1);
      }
    }
    return null;
  }
}
