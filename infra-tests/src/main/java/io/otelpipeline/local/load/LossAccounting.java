package io.otelpipeline.local.load;

import io.otelpipeline.local.SamplerStates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every accepted span went, trace by trace: the sampler's decision for its trace (as its
 * shard's saved state remembers it) says kept or dropped; a kept trace's spans must all be at
 * the sink. What has no decision yet is undecided; what a kept trace lacks at the sink is missing.
 * Both are loss if they remain once the pipeline has drained.
 */
final class LossAccounting {
  private final SamplerStates states;
  private final Map<String, Boolean> decided = new HashMap<>();

  LossAccounting(SamplerStates states) {
    this.states = states;
  }

  /** Spans accepted, exported, dropped by a decision, waiting for one, and kept but not at the sink. */
  record Tally(long accepted, long exported, long dropped, long undecided, long missing) {
    boolean complete() {
      return undecided == 0 && missing == 0;
    }
  }

  /** Looks up the decisions it does not know yet and counts; {@code exportedByTrace} is the sink's unique spans per trace. */
  Tally tally(Map<String, Integer> accepted, Map<String, Integer> exportedByTrace) {
    List<String> unknown = accepted.keySet().stream().filter(t -> !decided.containsKey(t)).toList();
    if (!unknown.isEmpty()) {
      decided.putAll(states.decisions());
    }
    long total = 0;
    long exported = 0;
    long dropped = 0;
    long undecided = 0;
    long missing = 0;
    for (Map.Entry<String, Integer> e : accepted.entrySet()) {
      int spans = e.getValue();
      int atSink = exportedByTrace.getOrDefault(e.getKey(), 0);
      total += spans;
      exported += Math.min(spans, atSink);
      Boolean keep = decided.get(e.getKey());
      if (keep == null) {
        undecided += spans - Math.min(spans, atSink);
      } else if (keep) {
        missing += Math.max(0, spans - atSink);
      } else {
        dropped += spans;
      }
    }
    return new Tally(total, exported, dropped, undecided, missing);
  }
}
