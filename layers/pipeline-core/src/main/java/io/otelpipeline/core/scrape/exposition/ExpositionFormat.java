package io.otelpipeline.core.scrape.exposition;

import java.util.Locale;

/** The two text formats a Prometheus endpoint may answer with. */
public enum ExpositionFormat {
  /** The Prometheus text format, version 0.0.4. */
  PROMETHEUS_TEXT,
  /** OpenMetrics 1.0 text. */
  OPENMETRICS;

  /** What a scraper asks for: OpenMetrics first, the classic text format as the fallback, as Prometheus does. */
  public static final String ACCEPT_HEADER =
      "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

  /** The format a response's Content-Type names; anything not OpenMetrics is read as the classic text format. */
  public static ExpositionFormat fromContentType(String contentType) {
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text")) {
      return OPENMETRICS;
    }
    return PROMETHEUS_TEXT;
  }
}
