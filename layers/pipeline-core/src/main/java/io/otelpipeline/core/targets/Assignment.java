package io.otelpipeline.core.targets;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One run's allocation: which collector scrapes which targets, and how many Lambda shards there are. */
public record Assignment(long version, int lambdaShards, String strategy, Map<String, List<ScrapeTarget>> byCollector) {
  public Assignment {
    Map<String, List<ScrapeTarget>> copy = new LinkedHashMap<>();
    byCollector.forEach((c, ts) -> copy.put(c, List.copyOf(ts)));
    byCollector = java.util.Collections.unmodifiableMap(copy);
  }

  public static Assignment empty() {
    return new Assignment(0, 0, "", Map.of());
  }

  /** Target key to collector id. */
  public Map<String, String> collectorByTarget() {
    Map<String, String> out = new HashMap<>();
    byCollector.forEach((c, ts) -> ts.forEach(t -> out.put(t.key(), c)));
    return out;
  }

  public List<ScrapeTarget> targetsOf(String collector) {
    return byCollector.getOrDefault(collector, List.of());
  }

  /** The id of Lambda scraper shard {@code n}. */
  public static String lambdaShard(int n) {
    return io.otelpipeline.core.targets.CollectorRegistry.LAMBDA_SHARD_PREFIX + n;
  }
}
