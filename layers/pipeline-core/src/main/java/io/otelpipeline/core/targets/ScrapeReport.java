package io.otelpipeline.core.targets;

import java.time.Duration;
import java.time.Instant;

/**
 * What a Lambda scraper shard reports after an invocation: the busiest round's summed scrape
 * durations against the shortest interval among its targets.
 */
public record ScrapeReport(String shard, long assignmentVersion, Duration busy, Duration interval, int targets, Instant at) {
  /** The share of the interval the shard spent scraping. */
  public double busyShare() {
    return interval.isZero() ? 0 : (double) busy.toNanos() / interval.toNanos();
  }
}
