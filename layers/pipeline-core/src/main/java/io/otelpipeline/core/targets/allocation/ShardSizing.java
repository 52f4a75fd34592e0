package io.otelpipeline.core.targets.allocation;

import java.util.Collection;

/**
 * How many Lambda scraper shards to run: a shard is busy for the sum of its targets' scrape
 * durations per interval. When one passes {@code share} of the interval, shards are added until
 * the work fits; when the busiest is under half of that, one shard is removed per run, so the
 * count settles instead of oscillating.
 */
public record ShardSizing(double share, int min, int max) {
  /** Shards are added once a shard is busy for more than this share of its interval. */
  public static final double DEFAULT_SHARE = 0.5;
  public static final int DEFAULT_MAX = 64;

  public ShardSizing {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("SCRAPE_BUSY_SHARE must be in (0, 1], not " + share);
    }
    if (min < 0 || max < Math.max(1, min)) {
      throw new IllegalArgumentException("scraper shards: min " + min + " and max " + max + " must satisfy 0 <= min <= max, max >= 1");
    }
  }

  /** The shard count for the next run, given the current count and the shards' reported busy shares. */
  public int size(int current, Collection<Double> busyShares) {
    int now = Math.max(current, Math.max(min, 1));
    if (busyShares.isEmpty()) {
      return Math.min(now, max);
    }
    double total = busyShares.stream().mapToDouble(Double::doubleValue).sum();
    double busiest = busyShares.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    int needed = (int) Math.ceil(total / share);
    int next = now;
    if (busiest > share) {
      next = Math.max(now + 1, needed);
    } else if (busiest < share / 2 && needed < now) {
      next = now - 1;
    }
    return Math.max(Math.max(min, 1), Math.min(max, next));
  }
}
