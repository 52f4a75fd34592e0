package io.otelpipeline.core.targets.allocation;

import io.otelpipeline.core.targets.ScrapeTarget;
import java.util.List;
import java.util.Map;

/** Decides which scraper (Lambda shard or external collector) scrapes each target. */
public interface AllocationStrategy {
  /** The strategy used when none is configured. */
  String DEFAULT = "consistent-hashing";

  /**
   * Assigns every target to exactly one of the collectors.
   *
   * @param previous the last run's assignment (target key to collector), for strategies that keep it
   * @return target key to collector id; empty when there are no collectors
   */
  Map<String, String> allocate(List<ScrapeTarget> targets, List<String> collectors, Map<String, String> previous);

  String name();

  /**
   * Hashes target addresses onto a ring of collectors, each holding at most
   * {@value ConsistentHashing#LOAD_FACTOR} times the average: when collectors come or go, about 1/N
   * of targets move.
   */
  static AllocationStrategy consistentHashing() {
    return new ConsistentHashing();
  }

  /** Keeps targets where they are and gives new or orphaned ones to the collector with the fewest. */
  static AllocationStrategy leastWeighted() {
    return new LeastWeighted();
  }

  static AllocationStrategy named(String name) {
    return switch (name) {
      case "consistent-hashing" -> consistentHashing();
      case "least-weighted" -> leastWeighted();
      default -> throw new IllegalArgumentException("ALLOCATION_STRATEGY '" + name + "' is not one of consistent-hashing, least-weighted");
    };
  }
}
