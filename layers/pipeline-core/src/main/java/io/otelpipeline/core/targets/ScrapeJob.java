package io.otelpipeline.core.targets;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scrape job's settings, as a Prometheus {@code scrape_config} gives them, without its targets. */
public record ScrapeJob(
    String name,
    Duration interval,
    Duration timeout,
    String metricsPath,
    String scheme,
    Map<String, List<String>> params,
    boolean honorLabels) {
  public ScrapeJob {
    params = Map.copyOf(params);
  }

  /** A job known only from registrations: Prometheus' defaults with the registration's interval. */
  public static ScrapeJob defaults(String name, Duration interval) {
    return new ScrapeJob(name, interval, ScrapeTarget.min(ScrapeTarget.DEFAULT_TIMEOUT, interval), "/metrics", "http", Map.of(), false);
  }

  public ScrapeTarget target(String address, Map<String, String> labels, TargetSource source) {
    return new ScrapeTarget(name, address, labels, scheme, metricsPath, params, interval, timeout, honorLabels, source);
  }

  /** The job as the Target Allocator's {@code /scrape_configs} shows it. */
  public Map<String, Object> toScrapeConfig() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job_name", name);
    m.put("scrape_interval", seconds(interval));
    m.put("scrape_timeout", seconds(timeout));
    m.put("metrics_path", metricsPath);
    m.put("scheme", scheme);
    m.put("honor_labels", honorLabels);
    if (!params.isEmpty()) {
      m.put("params", params);
    }
    return m;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
