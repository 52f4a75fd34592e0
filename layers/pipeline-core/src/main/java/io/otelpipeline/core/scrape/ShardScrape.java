package io.otelpipeline.core.scrape;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.ExporterInstruments;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.ingest.ReceiverInstruments;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.AssignmentStore;
import io.otelpipeline.core.targets.ScrapeReport;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.telemetry.Unit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One scraper invocation for one Lambda shard: scrapes the shard's targets of the assignment
 * version it was started with, over a window of {@code window} (the allocator's period). A target
 * whose interval is shorter than the window is scraped at every interval within it; a longer one
 * only when its interval has passed since its last scrape. Each round's targets are scraped
 * concurrently; a target that fails gets {@code up} 0 and the rest carry on. The busiest round's
 * summed scrape time is reported for the allocator to size the shards.
 */
public final class ShardScrape {
  static final Counter TARGET_DOWN = Counter.builder("scrape_target_down")
      .setUnit(Unit.COUNT)
      .setDescription("Scrapes that found their target down (up 0), by job.")
      .setDimensions("job")
      .build();
  static final Counter SERIES_STATE_TOO_LARGE = Counter.builder("scrape_series_state_too_large")
      .setUnit(Unit.COUNT)
      .setDescription("Scrapes whose series state (start times and last values, to notice counter resets) was too large to keep, by job.")
      .setDimensions("job")
      .build();

  private final AssignmentStore assignments;
  private final SeriesStore series;
  private final TargetScraper scraper;
  private final SignalExporter exporter;
  private final ExecutorService pool;
  private final Telemetry telemetry;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration window;

  public ShardScrape(
      AssignmentStore assignments,
      SeriesStore series,
      TargetScraper scraper,
      SignalExporter exporter,
      ExecutorService pool,
      Telemetry telemetry,
      Clock clock,
      Sleeper sleeper,
      Duration window) {
    this.assignments = assignments;
    this.series = series;
    this.scraper = scraper;
    this.exporter = exporter;
    this.pool = pool;
    this.telemetry = telemetry;
    this.clock = clock;
    this.sleeper = sleeper;
    this.window = window;
  }

  /** What an invocation did: scrapes made, targets down with their errors, exports that failed. */
  public record Outcome(String shard, long version, int scrapes, Map<String, String> down, List<String> exportFailures, boolean superseded) {}

  public Outcome run(String shard, long expectedVersion) throws InterruptedException {
    AssignmentStore.CollectorTargets mine = assignments.collector(shard);
    if (mine.version() > expectedVersion) {
      return new Outcome(shard, expectedVersion, 0, Map.of(), List.of(), true);
    }
    Instant begin = clock.instant();
    TreeMap<Long, List<ScrapeTarget>> rounds = schedule(mine.targets());
    Map<String, String> down = new TreeMap<>();
    List<String> exportFailures = new ArrayList<>();
    Duration busiest = Duration.ZERO;
    Duration shortestInterval = mine.targets().stream().map(ScrapeTarget::interval).min(Duration::compareTo).orElse(window);
    int scrapes = 0;
    for (Map.Entry<Long, List<ScrapeTarget>> round : rounds.entrySet()) {
      Duration wait = Duration.between(clock.instant(), begin.plusMillis(round.getKey()));
      if (!wait.isNegative() && !wait.isZero()) {
        sleeper.sleep(wait);
      }
      List<Future<Scraped>> running = new ArrayList<>();
      for (ScrapeTarget t : round.getValue()) {
        running.add(pool.submit(() -> scrapeOne(t, round.getKey() == 0)));
      }
      ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
      Duration busy = Duration.ZERO;
      int points = 0;
      for (Future<Scraped> f : running) {
        Scraped s;
        try {
          s = f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("scrape task failed: " + e.getCause(), e.getCause());
        }
        if (s == null) {
          continue;
        }
        scrapes++;
        busy = busy.plus(s.result().duration());
        s.result().error().ifPresent(err -> down.put(s.result().target().key(), err));
        request.addResourceMetrics(s.metrics());
        points += dataPoints(s.metrics());
        telemetry.count(ReceiverInstruments.accepted(Signal.METRICS), dataPoints(s.metrics()), Map.of("receiver", "prometheus"));
        if (!s.result().up()) {
          telemetry.count(TARGET_DOWN, 1, Map.of("job", s.result().target().job()));
        }
      }
      if (busy.compareTo(busiest) > 0) {
        busiest = busy;
      }
      if (request.getResourceMetricsCount() > 0) {
        ExportResult r = exporter.export(Signal.METRICS, request.build().toByteArray(), points);
        if (!r.succeeded()) {
          exportFailures.add("round at +" + round.getKey() + " ms: " + r.outcome() + " " + r.message());
          telemetry.count(ExporterInstruments.sendFailed(Signal.METRICS), points, Map.of("exporter", "otlphttp"));
        }
      }
    }
    assignments.report(new ScrapeReport(shard, mine.version(), busiest, shortestInterval, mine.targets().size(), clock.instant()));
    return new Outcome(shard, mine.version(), scrapes, down, exportFailures, false);
  }

  private record Scraped(ScrapeResult result, ResourceMetrics metrics) {}

  /** Scrapes, converts and stores the series state; null when a long-interval target is not due yet. */
  private Scraped scrapeOne(ScrapeTarget target, boolean firstRound) {
    SeriesState state = series.load(target);
    if (firstRound && target.interval().compareTo(window) >= 0 && state.lastScrapeMillis() > 0) {
      long since = clock.millis() - state.lastScrapeMillis();
      if (since < target.interval().toMillis() - window.toMillis() / 2) {
        return null;
      }
    }
    ScrapeResult result;
    Instant start = clock.instant();
    try {
      result = scraper.scrape(target);
    } catch (RuntimeException e) {
      // whatever goes wrong with one target costs that target only, never the rest of the shard
      result = ScrapeResult.failure(target, start, Duration.between(start, clock.instant()), "scrape failed: " + e);
    }
    ResourceMetrics metrics = ExpositionToOtlp.convert(result, state);
    if (result.up()) {
      if (!series.save(target, state, result.start().toEpochMilli())) {
        telemetry.count(SERIES_STATE_TOO_LARGE, 1, Map.of("job", target.job()));
      }
    }
    return new Scraped(result, metrics);
  }

  /** Offsets (ms into the window) at which each target is scraped. */
  TreeMap<Long, List<ScrapeTarget>> schedule(List<ScrapeTarget> targets) {
    TreeMap<Long, List<ScrapeTarget>> rounds = new TreeMap<>();
    for (ScrapeTarget t : targets) {
      long interval = t.interval().toMillis();
      long offset = 0;
      do {
        rounds.computeIfAbsent(offset, k -> new ArrayList<>()).add(t);
        offset += interval;
      } while (offset < window.toMillis());
    }
    return rounds;
  }

  private static int dataPoints(ResourceMetrics rm) {
    int n = 0;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      for (Metric m : sm.getMetricsList()) {
        n += switch (m.getDataCase()) {
          case GAUGE -> m.getGauge().getDataPointsCount();
          case SUM -> m.getSum().getDataPointsCount();
          case HISTOGRAM -> m.getHistogram().getDataPointsCount();
          case SUMMARY -> m.getSummary().getDataPointsCount();
          case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
          default -> 0;
        };
      }
    }
    return n;
  }
}
