package io.otelpipeline.core.targets;

import java.time.Instant;
import java.util.List;

/**
 * The current allocation, read whole by the targets API and by collector by the scrapers, and the
 * reports scraper shards leave after each invocation.
 */
public interface AssignmentStore {
  /**
   * Stores {@code assignment} as the current one, so that a reader never sees its version without
   * its targets; collectors of {@code previousCollectors} it leaves out lose their targets.
   */
  void save(Assignment assignment, List<String> previousCollectors);

  /** The whole current assignment; empty before the first allocation. */
  Assignment load();

  /** One collector's targets and the version they belong to; none (version 0) when it has none. */
  CollectorTargets collector(String collector);

  /** A collector's share of an assignment version. */
  record CollectorTargets(long version, List<ScrapeTarget> targets) {}

  /** Keeps {@code report} as its shard's latest. */
  void report(ScrapeReport report);

  /** The latest report of each of the given shards that has reported since {@code since}. */
  List<ScrapeReport> reports(List<String> shards, Instant since);
}
