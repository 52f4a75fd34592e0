package io.otelpipeline.core.targets.allocation;

import io.otelpipeline.core.targets.ScrapeTarget;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Target Allocator's least-weighted strategy: a target stays with its collector while that
 * collector lives; new targets, and those of a collector that left, go to whoever has the fewest.
 * New collectors fill up with new targets rather than taking old ones, so nothing moves on a scale-up.
 */
final class LeastWeighted implements AllocationStrategy {
  @Override
  public String name() {
    return "least-weighted";
  }

  @Override
  public Map<String, String> allocate(List<ScrapeTarget> targets, List<String> collectors, Map<String, String> previous) {
    Map<String, String> out = new HashMap<>();
    if (collectors.isEmpty()) {
      return out;
    }
    Set<String> live = new HashSet<>(collectors);
    Map<String, Integer> load = new HashMap<>();
    collectors.forEach(c -> load.put(c, 0));
    List<ScrapeTarget> ordered = targets.stream().sorted(Comparator.comparing(ScrapeTarget::key)).toList();
    for (ScrapeTarget t : ordered) {
      String kept = previous.get(t.key());
      if (kept != null && live.contains(kept)) {
        out.put(t.key(), kept);
        load.merge(kept, 1, Integer::sum);
      }
    }
    for (ScrapeTarget t : ordered) {
      if (!out.containsKey(t.key())) {
        String least = collectors.stream().min(Comparator.comparing((String c) -> load.get(c)).thenComparing(c -> c)).orElseThrow();
        out.put(t.key(), least);
        load.merge(least, 1, Integer::sum);
      }
    }
    return out;
  }
}
