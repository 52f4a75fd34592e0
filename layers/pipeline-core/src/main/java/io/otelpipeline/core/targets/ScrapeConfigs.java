package io.otelpipeline.core.targets;

import io.otelpipeline.core.config.ComponentCatalog;
import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.config.ConfigException;
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
    return config.decode("receivers", ComponentCatalog.PROMETHEUS_RECEIVER, receiver -> from(receiver.block("config")))
        .orElseGet(ScrapeConfigs::none);
  }

  private static ScrapeConfigs from(ConfigBlock promConfig) {
    promConfig = ConfigBlock.of(WHERE, promConfig.asMap());
    ConfigBlock global = promConfig.block("global");
    Duration globalInterval = global.duration("scrape_interval", ScrapeTarget.DEFAULT_INTERVAL);
    Duration globalTimeout = global.duration("scrape_timeout", ScrapeTarget.DEFAULT_TIMEOUT);
    if (!promConfig.has("scrape_configs")) {
      return none();
    }
    Map<String, ScrapeJob> jobs = new LinkedHashMap<>();
    List<ScrapeTarget> targets = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    List<ConfigBlock> scrapeConfigs = promConfig.blocks("scrape_configs");
    for (int i = 0; i < scrapeConfigs.size(); i++) {
      String job = scrapeConfigs.get(i).requiredString("job_name");
      if (jobs.containsKey(job)) {
        throw scrapeConfigs.get(i).error("job_name", "'" + job + "' is used twice");
      }
      ConfigBlock sc = ConfigBlock.of(WHERE + ".scrape_configs[" + job + "]", scrapeConfigs.get(i).asMap());
      ScrapeJob scrapeJob = job(job, sc, globalInterval, globalTimeout);
      jobs.put(job, scrapeJob);
      for (String key : sc.keys()) {
        if (!SUPPORTED.contains(key)) {
          ignored.add(sc.path() + "." + key + ": not implemented by this pipeline (targets come from static_configs and the targets API)");
        }
      }
      for (ConfigBlock group : sc.blocks("static_configs")) {
        targets.addAll(targets(scrapeJob, group));
      }
    }
    return new ScrapeConfigs(Map.copyOf(jobs), List.copyOf(targets), List.copyOf(ignored));
  }

  private static ScrapeJob job(String name, ConfigBlock sc, Duration globalInterval, Duration globalTimeout) {
    Duration interval = sc.duration("scrape_interval", globalInterval);
    Duration timeout = sc.duration("scrape_timeout", ScrapeTarget.min(globalTimeout, interval));
    Map<String, List<String>> params = new LinkedHashMap<>();
    ConfigBlock paramBlock = sc.block("params");
    paramBlock.keys().forEach(k -> params.put(k, paramBlock.strings(k, List.of())));
    return new ScrapeJob(
        name, interval, timeout, sc.string("metrics_path", "/metrics"), sc.string("scheme", "http"), params, sc.bool("honor_labels", false));
  }

  private static List<ScrapeTarget> targets(ScrapeJob job, ConfigBlock group) {
    Map<String, String> labels = new LinkedHashMap<>();
    ConfigBlock labelBlock = group.block("labels");
    labelBlock.keys().forEach(k -> labels.put(k, labelBlock.string(k, "")));
    if (!group.has("targets")) {
      throw group.error("targets", "must be a list of host:port");
    }
    List<ScrapeTarget> targets = new ArrayList<>();
    for (String address : group.strings("targets", List.of())) {
      try {
        targets.add(job.target(address, labels, TargetSource.CONFIG));
      } catch (InvalidTargetException e) {
        throw new ConfigException(group.path() + "." + e.getMessage());
      }
    }
    return targets;
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
}
