package io.otelpipeline.core.scaling;

import io.otelpipeline.core.scaling.Recommendation.Action;
import io.otelpipeline.core.scaling.Recommendation.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Collector's scaling guidance as rules over metric histories. Data refused at the entrance
 * (throttled writes) means add shards; a consumer that falls further behind while its exports
 * succeed means add parallelism, then shards; exports failing means the backend is the problem and
 * adding capacity only adds load to it, so nothing that feeds that backend is scaled up; scrapes
 * that take most of their interval need more scraper shards, which the allocator adds.
 */
public final class ScalingAdvisor {
  /** Periods a signal must show up in, out of the last {@value #RECENT_PERIODS}, to count as sustained. */
  static final int SUSTAINED_PERIODS = 2;
  static final int RECENT_PERIODS = 3;
  /** Above this share of the shards' write limits in the busiest period, the stream needs more shards. */
  static final double SCALE_OUT_UTILIZATION = 0.8;
  /** The share of the write limits a resized stream is sized for, leaving room for bursts. */
  static final double TARGET_UTILIZATION = 0.5;
  /** Below this share in every period, the stream has twice the shards it needs. */
  static final double SCALE_IN_UTILIZATION = 0.2;
  /** Iterator age (ms) from which a rising age counts as falling behind. */
  static final double ITERATOR_AGE_LIMIT_MILLIS = 60_000;
  /** Share of export attempts failing from which the backend is considered the bottleneck. */
  static final double EXPORT_FAILURE_SHARE = 0.05;
  /** Share of the scrape interval spent scraping from which scrapers need sharding. */
  static final double SCRAPE_BUSY_SHARE = 0.8;

  private final ScalingLimits limits;

  private ScalingAdvisor(ScalingLimits limits) {
    this.limits = limits;
  }

  public static ScalingAdvisor create(ScalingLimits limits) {
    return new ScalingAdvisor(limits);
  }

  /** One recommendation per stream, per consumer and for the scrapers, in that order. */
  public List<Recommendation> advise(ScalingSnapshot snapshot) {
    List<Recommendation> out = new ArrayList<>();
    for (StreamSignals s : snapshot.streams()) {
      List<ConsumerSignals> consumers = snapshot.consumers().stream().filter(c -> c.stream().equals(s.stream())).toList();
      out.add(stream(s, consumers));
    }
    for (ConsumerSignals c : snapshot.consumers()) {
      out.add(consumer(c));
    }
    snapshot.scrapers().ifPresent(sc -> out.add(scrapers(sc)));
    return out;
  }

  private Recommendation stream(StreamSignals s, List<ConsumerSignals> consumers) {
    if (s.incomingRecords().isEmpty() && s.writeThrottled().isEmpty()) {
      return new Recommendation(Subject.STREAM, s.stream(), Action.NO_DATA, s.shards(), s.shards(), "no write metrics in the window");
    }
    double peak = s.peakUtilization();
    long throttledPeriods = s.writeThrottled().recent(RECENT_PERIODS).countAbove(0);
    List<String> pressure = new ArrayList<>();
    if (throttledPeriods >= SUSTAINED_PERIODS) {
      pressure.add(String.format(Locale.ROOT, "writes throttled in %d of the last %d periods (%.0f refused)",
          throttledPeriods, RECENT_PERIODS, s.writeThrottled().recent(RECENT_PERIODS).sum()));
    }
    if (peak >= SCALE_OUT_UTILIZATION) {
      pressure.add(String.format(Locale.ROOT, "the busiest period used %.0f%% of the shards' write limits", peak * 100));
    }
    for (ConsumerSignals c : consumers) {
      if (fallingBehind(c) && c.parallelizationFactor() >= c.maxParallelization()) {
        pressure.add(c.function() + " falls behind at " + maximum(c));
      }
    }
    List<String> failing = consumers.stream().filter(ScalingAdvisor::backendFailing).map(ScalingAdvisor::backendFailure).toList();
    if (!pressure.isEmpty()) {
      if (!failing.isEmpty()) {
        return new Recommendation(Subject.STREAM, s.stream(), Action.DO_NOT_SCALE, s.shards(), s.shards(),
            String.join("; ", pressure) + ", but " + String.join("; ", failing)
                + ": the backend is the bottleneck and more shards would only add load to it; fix or scale the backend first");
      }
      int wanted = Math.max(s.shards() + 1, (int) Math.ceil(s.shards() * peak / TARGET_UTILIZATION));
      // UpdateShardCount can at most double a stream in one call.
      int proposed = Math.min(Math.min(wanted, 2 * s.shards()), limits.maxShards());
      if (proposed <= s.shards()) {
        return new Recommendation(Subject.STREAM, s.stream(), Action.AT_LIMIT, s.shards(), s.shards(),
            String.join("; ", pressure) + ", and the stream is at MaxShards (" + limits.maxShards() + "): raise MaxShards or the stream's shard count");
      }
      return new Recommendation(Subject.STREAM, s.stream(), Action.ADD_SHARDS, s.shards(), proposed, String.join("; ", pressure));
    }
    boolean idle = s.incomingRecords().values().size() >= RECENT_PERIODS && peak < SCALE_IN_UTILIZATION && s.writeThrottled().sum() == 0
        && consumers.stream().noneMatch(c -> c.iteratorAgeMillis().max() >= ITERATOR_AGE_LIMIT_MILLIS);
    if (idle && s.shards() > limits.minShards()) {
      int proposed = Math.max(limits.minShards(), Math.max((s.shards() + 1) / 2, (int) Math.ceil(s.shards() * peak / TARGET_UTILIZATION)));
      if (proposed < s.shards()) {
        return new Recommendation(Subject.STREAM, s.stream(), Action.REMOVE_SHARDS, s.shards(), proposed, String.format(Locale.ROOT,
            "the busiest period used %.0f%% of the shards' write limits, no throttling and no consumer behind", peak * 100));
      }
    }
    return new Recommendation(Subject.STREAM, s.stream(), Action.NONE, s.shards(), s.shards(),
        String.format(Locale.ROOT, "within capacity: the busiest period used %.0f%% of the shards' write limits", peak * 100));
  }

  private Recommendation consumer(ConsumerSignals c) {
    String name = c.function() + " on " + c.stream();
    int pf = c.parallelizationFactor();
    if (c.iteratorAgeMillis().isEmpty() && c.exportSent().isEmpty() && c.exportFailed().isEmpty()) {
      return new Recommendation(Subject.CONSUMER, name, Action.NO_DATA, pf, pf, "no iterator age or export metrics in the window");
    }
    if (backendFailing(c)) {
      return new Recommendation(Subject.CONSUMER, name, Action.DO_NOT_SCALE, pf, pf, backendFailure(c)
          + ": the backend is the bottleneck; more parallelism would only add load to it. Fix or scale the backend; data waits in the stream");
    }
    if (fallingBehind(c)) {
      String age = String.format(Locale.ROOT, "iterator age rising to %.0f s while exports succeed", c.iteratorAgeMillis().last() / 1000);
      if (pf >= c.maxParallelization()) {
        return new Recommendation(Subject.CONSUMER, name, Action.AT_LIMIT, pf, pf, age + "; at " + maximum(c) + ": add shards to " + c.stream());
      }
      return new Recommendation(Subject.CONSUMER, name, Action.RAISE_PARALLELIZATION, pf, Math.min(c.maxParallelization(), 2 * pf), age);
    }
    if (c.iteratorAgeMillis().last() >= ITERATOR_AGE_LIMIT_MILLIS) {
      return new Recommendation(Subject.CONSUMER, name, Action.NONE, pf, pf,
          String.format(Locale.ROOT, "iterator age %.0f s but no longer rising: catching up", c.iteratorAgeMillis().last() / 1000));
    }
    return new Recommendation(Subject.CONSUMER, name, Action.NONE, pf, pf,
        String.format(Locale.ROOT, "keeping up: iterator age at most %.0f s", c.iteratorAgeMillis().max() / 1000));
  }

  private static String maximum(ConsumerSignals c) {
    return c.sequential()
        ? "ParallelizationFactor 1, which a sequential consumer keeps (its state follows each shard in order)"
        : "the maximum ParallelizationFactor of " + ScalingLimits.MAX_PARALLELIZATION;
  }

  private Recommendation scrapers(ScraperSignals s) {
    if (s.busyShare().isEmpty()) {
      return new Recommendation(Subject.SCRAPERS, "scrapers", Action.NO_DATA, s.shards(), s.shards(), "no scrape metrics in the window");
    }
    double busy = s.busyShare().last();
    String share = String.format(Locale.ROOT, "scraping takes %.0f%% of the interval", busy * 100);
    if (busy < SCRAPE_BUSY_SHARE) {
      return new Recommendation(Subject.SCRAPERS, "scrapers", Action.NONE, s.shards(), s.shards(), share);
    }
    if (s.shards() < s.maxShards()) {
      return new Recommendation(Subject.SCRAPERS, "scrapers", Action.ALLOCATOR_ADDS_SCRAPERS, s.shards(), s.shards() + 1,
          share + "; the target allocator adds a scraper shard at its next run");
    }
    return new Recommendation(Subject.SCRAPERS, "scrapers", Action.AT_LIMIT, s.shards(), s.shards(),
        share + " with all " + s.maxShards() + " scraper shards in use: raise the allocator's shard limit or lengthen scrape intervals");
  }

  private static boolean fallingBehind(ConsumerSignals c) {
    MetricSeries age = c.iteratorAgeMillis().recent(RECENT_PERIODS);
    return age.last() >= ITERATOR_AGE_LIMIT_MILLIS && age.rising();
  }

  private static boolean backendFailing(ConsumerSignals c) {
    boolean breakerOpen = c.circuitState().last() >= 1.0;
    boolean stillFailing = c.exportFailed().last() > 0 && c.exportFailureShare() >= EXPORT_FAILURE_SHARE;
    return breakerOpen || stillFailing;
  }

  private static String backendFailure(ConsumerSignals c) {
    String share = String.format(Locale.ROOT, "%s's exports failing (%.0f%% of attempts", c.function(), c.exportFailureShare() * 100);
    return share + (c.circuitState().last() >= 1.0 ? ", circuit breaker open)" : ")");
  }
}
