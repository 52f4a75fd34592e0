package io.otelpipeline.load;

import io.otelpipeline.local.SamplerStates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where every accepted span went, trace by trace: the sampler's decision for its trace (as its
 * shard's saved state remembers it) says kept or dropped; a kept trace's spans must all be at
 * the sink or kept in the failure destination. What has no decision yet and is in neither place
 * is undecided; what a kept trace lacks at both is missing. Both are loss if they remain once the
 * pipeline has drained.
 */
final class LossAccounting {
  private final Supplier<Map<String, Boolean>> decisions;
  private final Map<String, Boolean> decided = new HashMap<>();

  /** {@code decisions}: keep or drop by trace id, for the traces the sampler's shard states remember. */
  LossAccounting(Supplier<Map<String, Boolean>> decisions) {
    this.decisions = decisions;
  }

  LossAccounting(SamplerStates states) {
    this(states::decisions);
  }

  /**
   * Spans accepted, exported, dropped by a decision, kept in the failure destination (and not at
   * the sink), waiting for a decision, and kept by one but neither at the sink nor in the failure
   * destination.
   */
  record Tally(long accepted, long exported, long dropped, long inFailureDestination, long undecided, long missing) {
    boolean complete() {
      return undecided == 0 && missing == 0;
    }
  }

  /**
   * Looks up the decisions it does not know yet and counts; {@code exportedByTrace} is the sink's
   * unique spans per trace, {@code failedByTrace} the spans per trace in the failure destination
   * that are not at the sink.
   */
  Tally tally(Map<String, Integer> accepted, Map<String, Integer> exportedByTrace, Map<String, Integer> failedByTrace) {
    List<String> unknown = accepted.keySet().stream().filter(t -> !decided.containsKey(t)).toList();
    if (!unknown.isEmpty()) {
      decided.putAll(decisions.get());
    }
    long total = 0;
    long exported = 0;
    long dropped = 0;
    long failed = 0;
    long undecided = 0;
    long missing = 0;
    for (Map.Entry<String, Integer> e : accepted.entrySet()) {
      int spans = e.getValue();
      int atSink = Math.min(spans, exportedByTrace.getOrDefault(e.getKey(), 0));
      int kept = Math.min(spans - atSink, failedByTrace.getOrDefault(e.getKey(), 0));
      total += spans;
      exported += atSink;
      Boolean keep = decided.get(e.getKey());
      if (keep != null && !keep) {
        dropped += spans;
        continue;
      }
      failed += kept;
      if (keep == null) {
        undecided += spans - atSink - kept;
      } else {
        missing += spans - atSink - kept;
      }
    }
    return new Tally(total, exported, dropped, failed, undecided, missing);
  }
}
