package io.otelpipeline.core.targets;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A target as a JSON-ready map, and back: how assignments carry targets to scrapers and collectors. */
public final class TargetJson {
  private TargetJson() {}

  public static Map<String, Object> toMap(ScrapeTarget t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", t.job());
    m.put("address", t.address());
    m.put("labels", t.labels());
    m.put("scheme", t.scheme());
    m.put("metrics_path", t.metricsPath());
    m.put("params", t.params());
    m.put("interval_ms", t.interval().toMillis());
    m.put("timeout_ms", t.timeout().toMillis());
    m.put("honor_labels", t.honorLabels());
    m.put("source", t.source().name());
    return m;
  }

  @SuppressWarnings("unchecked")
  public static ScrapeTarget fromMap(Map<String, Object> m) {
    return new ScrapeTarget(
        (String) m.get("job"),
        (String) m.get("address"),
        (Map<String, String>) m.get("labels"),
        (String) m.get("scheme"),
        (String) m.get("metrics_path"),
        (Map<String, List<String>>) m.get("params"),
        Duration.ofMillis(((Number) m.get("interval_ms")).longValue()),
        Duration.ofMillis(((Number) m.get("timeout_ms")).longValue()),
        (Boolean) m.get("honor_labels"),
        TargetSource.valueOf((String) m.get("source")));
  }
}
