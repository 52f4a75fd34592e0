package io.otelpipeline.core.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OpenTelemetry sampling threshold ({@code ot=th:...} in W3C tracestate): the rejection
 * threshold {@code (1 - p) * 2^56} as up to 14 hex digits without trailing zeros. A threshold is
 * only ever raised (a lower probability), never lowered, so counts re-weighted by a backend stay right.
 */
final class SamplingThreshold {
  private static final int DIGITS = 14;
  private static final long MAX = 1L << 56;

  private SamplingThreshold() {}

  static long forProbability(double p) {
    return Math.max(0, Math.min(MAX - 1, Math.round((1.0 - p) * MAX)));
  }

  static String encode(long threshold) {
    if (threshold == 0) {
      return "0";
    }
    String hex = String.format(Locale.ROOT, "%014x", threshold);
    int end = hex.length();
    while (end > 1 && hex.charAt(end - 1) == '0') {
      end--;
    }
    return hex.substring(0, end);
  }

  static long decode(String th) {
    if (th.isEmpty() || th.length() > DIGITS) {
      return -1;
    }
    StringBuilder padded = new StringBuilder(th);
    while (padded.length() < DIGITS) {
      padded.append('0');
    }
    try {
      return Long.parseLong(padded.toString(), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The tracestate with the {@code ot} member's threshold raised to that of {@code probability}, moved to the front. */
  static String raise(String traceState, double probability) {
    long wanted = forProbability(probability);
    List<String> others = new ArrayList<>();
    List<String> otFields = new ArrayList<>();
    long existing = -1;
    for (String member : traceState.split(",")) {
      String m = member.trim();
      if (m.isEmpty()) {
        continue;
      }
      if (!m.startsWith("ot=")) {
        others.add(m);
        continue;
      }
      for (String field : m.substring(3).split(";")) {
        if (field.startsWith("th:")) {
          existing = decode(field.substring(3));
        } else if (!field.isEmpty()) {
          otFields.add(field);
        }
      }
    }
    long threshold = Math.max(existing, wanted);
    otFields.add(0, "th:" + encode(threshold));
    others.add(0, "ot=" + String.join(";", otFields));
    return String.join(",", others);
  }
}
