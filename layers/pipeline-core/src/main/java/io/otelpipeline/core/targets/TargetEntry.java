package io.otelpipeline.core.targets;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A target as the targets table holds it: job settings other than the interval come from the job. */
public record TargetEntry(String job, String address, Map<String, String> labels, Optional<Duration> interval, TargetSource source) {
  public TargetEntry {
    labels = Map.copyOf(labels);
  }

  /** The full target, with the settings of its job from the configuration, or Prometheus' defaults. */
  public ScrapeTarget resolve(ScrapeConfigs configs) {
    ScrapeJob job = configs.job(this.job).orElseGet(() -> ScrapeJob.defaults(this.job, interval.orElse(ScrapeTarget.DEFAULT_INTERVAL)));
    if (interval.isPresent() && !interval.get().equals(job.interval())) {
      job = new ScrapeJob(job.name(), interval.get(), ScrapeTarget.min(job.timeout(), interval.get()), job.metricsPath(), job.scheme(), job.params(), job.honorLabels());
    }
    return job.target(address, labels, source);
  }
}
