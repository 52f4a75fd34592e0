package io.otelpipeline.core.targets.allocation;

import io.otelpipeline.core.targets.ScrapeReport;
import io.otelpipeline.core.targets.AssignmentStore;
import io.otelpipeline.core.targets.Assignment;
import io.otelpipeline.core.targets.CollectorRegistry;
import io.otelpipeline.core.targets.ScrapeConfigs;
import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.TargetCatalog;
import io.otelpipeline.core.targets.TargetRegistry;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Gauge;
import io.otelpipeline.core.telemetry.Unit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One allocation run: gathers the targets (configuration and table) and the scrapers (Lambda
 * shards, sized from their reports, and live external collectors), assigns every target to
 * exactly one scraper, stores the result under a new version, and starts each Lambda shard on it.
 */
public final class TargetAllocator {
  /** The targets of the last run. */
  public static final Gauge TARGETS = Gauge.builder("scrape_targets")
      .setUnit(Unit.COUNT)
      .setDescription("Scrape targets the last allocation run assigned.")
      .build();
  /** The Lambda scraper shards of the last run. */
  public static final Gauge LAMBDA_SHARDS = Gauge.builder("scraper_lambda_shards")
      .setUnit(Unit.COUNT)
      .setDescription("Lambda scraper shards the last allocation run started, against the allocator's limit.")
      .build();
  /** Targets a run gave to another scraper. */
  public static final Counter TARGETS_MOVED = Counter.builder("scrape_targets_moved")
      .setUnit(Unit.COUNT)
      .setDescription("Targets an allocation run gave to a different scraper than the run before.")
      .build();
  /** Reports older than this no longer size the shards (a shard that stopped reporting is idle). */
  static final Duration REPORT_MAX_AGE = Duration.ofMinutes(3);

  private final ScrapeConfigs configs;
  private final TargetRegistry targets;
  private final CollectorRegistry collectors;
  private final AssignmentStore store;
  private final AllocationStrategy strategy;
  private final ShardSizing sizing;
  private final ScraperInvoker invoker;
  private final AllocationLease lease;
  private final Clock clock;

  public TargetAllocator(
      ScrapeConfigs configs,
      TargetRegistry targets,
      CollectorRegistry collectors,
      AssignmentStore store,
      AllocationStrategy strategy,
      ShardSizing sizing,
      ScraperInvoker invoker,
      AllocationLease lease,
      Clock clock) {
    this.configs = configs;
    this.targets = targets;
    this.collectors = collectors;
    this.store = store;
    this.strategy = strategy;
    this.sizing = sizing;
    this.invoker = invoker;
    this.lease = lease;
    this.clock = clock;
  }

  /** What a run did; {@code allocated} false when another run held the lease and this one did nothing. */
  public record Run(boolean allocated, long version, int targets, int lambdaShards, List<String> externalCollectors, int moved,
      List<String> problems) {
    static Run skipped() {
      return new Run(false, 0, 0, 0, List.of(), 0, List.of("another allocation run holds the lease; this one changes nothing"));
    }
  }

  public Run run() {
    Optional<AllocationLease.Held> held = lease.acquire(clock.instant());
    if (held.isEmpty()) {
      return Run.skipped();
    }
    try (AllocationLease.Held h = held.get()) {
      return allocate();
    }
  }

  private Run allocate() {
    List<String> problems = new ArrayList<>();
    Consumer<String> report = problems::add;
    List<ScrapeTarget> all = TargetCatalog.merge(configs, targets.entries(report), report);
    List<String> external = collectors.live();
    Assignment previous = store.load();

    List<String> previousShards = new ArrayList<>();
    for (int i = 0; i < previous.lambdaShards(); i++) {
      previousShards.add(Assignment.lambdaShard(i));
    }
    List<Double> busy = store.reports(previousShards, clock.instant().minus(REPORT_MAX_AGE)).stream().map(ScrapeReport::busyShare).toList();
    int shards = sizing.size(previous.lambdaShards(), busy);
    if (shards == 0 && external.isEmpty() && !all.isEmpty()) {
      shards = 1;
    }

    List<String> scrapers = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      scrapers.add(Assignment.lambdaShard(i));
    }
    scrapers.addAll(external);

    Map<String, String> before = previous.collectorByTarget();
    Map<String, String> after = strategy.allocate(all, scrapers, before);
    Map<String, List<ScrapeTarget>> byCollector = new LinkedHashMap<>();
    scrapers.forEach(s -> byCollector.put(s, new ArrayList<>()));
    int moved = 0;
    for (ScrapeTarget t : all) {
      String c = after.get(t.key());
      byCollector.get(c).add(t);
      String was = before.get(t.key());
      if (was != null && !was.equals(c)) {
        moved++;
      }
    }
    Assignment next = new Assignment(previous.version() + 1, shards, strategy.name(), byCollector);
    store.save(next, new ArrayList<>(previous.byCollector().keySet()));
    for (int i = 0; i < shards; i++) {
      try {
        invoker.invoke(i, next.version());
      } catch (RuntimeException e) {
        problems.add("scraper shard " + i + " not started: " + e.getMessage());
      }
    }
    return new Run(true, next.version(), all.size(), shards, external, moved, problems);
  }
}
