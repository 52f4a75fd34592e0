package io.otelpipeline.core.otlp;

/** The three OpenTelemetry signals, each carried on its own stream. */
public enum Signal {
  TRACES(1, "/v1/traces", "spans"),
  METRICS(2, "/v1/metrics", "metric_points"),
  LOGS(3, "/v1/logs", "log_records");

  private final int code;
  private final String path;
  private final String itemName;

  Signal(int code, String path, String itemName) {
    this.code = code;
    this.path = path;
    this.itemName = itemName;
  }

  /** The byte that identifies the signal in a record envelope. */
  public int code() {
    return code;
  }

  /** The OTLP/HTTP path, for example {@code /v1/traces}. */
  public String path() {
    return path;
  }

  /** What one item of this signal is called in the Collector's telemetry (spans, metric_points, log_records). */
  public String itemName() {
    return itemName;
  }

  public static Signal fromCode(int code) {
    for (Signal s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown signal code " + code);
  }

  /** The signal served at an OTLP/HTTP path, or {@code null} when the path is not one of them. */
  public static Signal fromPath(String path) {
    for (Signal s : values()) {
      if (s.path.equals(path)) {
        return s;
      }
    }
    return null;
  }
}
