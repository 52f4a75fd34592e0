package io.otelpipeline.core.targets;

import io.otelpipeline.core.config.ComponentCatalog;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.Durations;
import io.otelpipeline.core.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs and static targets of the {@code prometheus} receiver's {@code config.scrape_configs},
 * decoded and validated once. Settings this pipeline does not implement (relabeling, service
 * discovery other than {@code static_configs}, authentication) are reported by name.
 */
public final class ScrapeConfigs {
  private static final String WHERE = "receivers.prometheus.config";
  private static final List<String> SUPPORTED =
      List.of("job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "params", "honor_labels", "static_configs");

  private final Map<String, ScrapeJob> jobs;
  private final List<ScrapeTarget> targets;
  private final List<String> ignored;

  private ScrapeConfigs(Map<String, ScrapeJob> jobs, List<ScrapeTarget> targets, List<String> ignored) {
    this.jobs = jobs;
    this.targets = targets;
    this.ignored = ignored;
  }

  public static ScrapeConfigs none() {
    return new ScrapeConfigs(Map.of(), List.of(), List.of());
  }

  public static ScrapeConfigs from(PipelineConfig config) {
    return config.decode("receivers", ComponentCatalog.PROMETHEUS_RECEIVER, receiver -> from(receiver.asMap()))
        .orElseGet(ScrapeConfigs::none);
  }

  private static ScrapeConfigs from(Map<?, ?> receiver) {
    Map<String, Object> promConfig = map(receiver.get("config"), WHERE);
    Map<String, Object> global = map(promConfig.get("global"), WHERE + ".global");
    Duration globalInterval = duration(global.get("scrape_interval"), WHERE + ".global.scrape_interval", ScrapeTarget.DEFAULT_INTERVAL);
    Duration globalTimeout = duration(global.get("scrape_timeout"), WHERE + ".global.scrape_timeout", ScrapeTarget.DEFAULT_TIMEOUT);
    Object list = promConfig.get("scrape_configs");
    if (list == null) {
      return none();
    }
    if (!(list instanceof List<?> scrapeConfigs)) {
      throw new ConfigException(WHERE + ".scrape_configs must be a list");
    }
    Map<String, ScrapeJob> jobs = new LinkedHashMap<>();
    List<ScrapeTarget> targets = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (int i = 0; i < scrapeConfigs.size(); i++) {
      String at = WHERE + ".scrape_configs[" + i + "]";
      Map<String, Object> sc = map(scrapeConfigs.get(i), at);
      Object name = sc.get("job_name");
      if (name == null || String.valueOf(name).isBlank()) {
        throw new ConfigException(at + ".job_name is required");
      }
      String job = String.valueOf(name);
      if (jobs.containsKey(job)) {
        throw new ConfigException(at + ".job_name '" + job + "' is used twice");
      }
      at = WHERE + ".scrape_configs[" + job + "]";
      Duration interval = duration(sc.get("scrape_interval"), at + ".scrape_interval", globalInterval);
      Duration timeout = duration(sc.get("scrape_timeout"), at + ".scrape_timeout", ScrapeTarget.min(globalTimeout, interval));
      ScrapeJob scrapeJob =
          new ScrapeJob(
              job,
              interval,
              timeout,
              String.valueOf(sc.getOrDefault("metrics_path", "/metrics")),
              String.valueOf(sc.getOrDefault("scheme", "http")),
              params(sc.get("params"), at + ".params"),
              Boolean.parseBoolean(String.valueOf(sc.getOrDefault("honor_labels", "false"))));
      jobs.put(job, scrapeJob);
      for (String key : sc.keySet()) {
        if (!SUPPORTED.contains(key)) {
          ignored.add(at + "." + key + ": not implemented by this pipeline (targets come from static_configs and the targets API)");
        }
      }
      Object statics = sc.get("static_configs");
      if (statics == null) {
        continue;
      }
      if (!(statics instanceof List<?> groups)) {
        throw new ConfigException(at + ".static_configs must be a list");
      }
      for (int g = 0; g < groups.size(); g++) {
        String groupAt = at + ".static_configs[" + g + "]";
        Map<String, Object> group = map(groups.get(g), groupAt);
        Map<String, String> labels = new LinkedHashMap<>();
        map(group.get("labels"), groupAt + ".labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
        Object addresses = group.get("targets");
        if (!(addresses instanceof List<?> addressList)) {
          throw new ConfigException(groupAt + ".targets must be a list of host:port");
        }
        for (Object address : addressList) {
          try {
            targets.add(scrapeJob.target(String.valueOf(address), labels, TargetSource.CONFIG));
          } catch (InvalidTargetException e) {
            throw new ConfigException(groupAt + "." + e.getMessage());
          }
        }
      }
    }
    return new ScrapeConfigs(Map.copyOf(jobs), List.copyOf(targets), List.copyOf(ignored));
  }

  public Optional<ScrapeJob> job(String name) {
    return Optional.ofNullable(jobs.get(name));
  }

  public Map<String, ScrapeJob> jobs() {
    return jobs;
  }

  public List<ScrapeTarget> targets() {
    return targets;
  }

  /** Settings found in the scrape configs that this pipeline does not implement, for the start-up report. */
  public List<String> ignored() {
    return ignored;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String where) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map)) {
      throw new ConfigException(where + " must be a mapping");
    }
    return (Map<String, Object>) value;
  }

  private static Duration duration(Object value, String where, Duration fallback) {
    return value == null ? fallback : Durations.parse(value, where);
  }

  private static Map<String, List<String>> params(Object value, String where) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    map(value, where).forEach((k, v) -> {
      if (!(v instanceof List<?> values)) {
        throw new ConfigException(where + "." + k + " must be a list of values");
      }
      params.put(k, values.stream().map(String::valueOf).toList());
    });
    return params;
  }
}
