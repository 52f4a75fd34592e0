package io.otelpipeline.core.sampling.state;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decisions a shard remembers so late spans follow them: each for {@code decision_ttl} of the
 * shard's time, and at most the Collector's {@code decision_cache} sizes of kept and of dropped
 * traces, the oldest forgotten first. A span of a forgotten trace starts a new trace.
 */
public final class DecisionMemory {
  private final Map<ByteString, TraceDecision> kept = new LinkedHashMap<>();
  private final Map<ByteString, TraceDecision> dropped = new LinkedHashMap<>();

  public Optional<TraceDecision> find(ByteString traceId) {
    TraceDecision d = kept.get(traceId);
    return Optional.ofNullable(d != null ? d : dropped.get(traceId));
  }

  /** Remembers a decision, newest last. */
  public void remember(TraceDecision decision) {
    (decision.keep() ? kept : dropped).put(decision.traceId(), decision);
  }

  /** Forgets decisions older than {@code ttl} at {@code now}, and the oldest beyond the sizes; returns how many it forgot. */
  public int forget(Instant now, Duration ttl, int keptSize, int droppedSize) {
    return forget(kept, now.minus(ttl), keptSize) + forget(dropped, now.minus(ttl), droppedSize);
  }

  private static int forget(Map<ByteString, TraceDecision> decisions, Instant before, int size) {
    int forgotten = 0;
    Iterator<TraceDecision> oldestFirst = decisions.values().iterator();
    while (oldestFirst.hasNext()) {
      TraceDecision d = oldestFirst.next();
      if (decisions.size() <= size && !d.decidedAt().isBefore(before)) {
        break;
      }
      oldestFirst.remove();
      forgotten++;
    }
    return forgotten;
  }

  /** Every decision remembered, kept ones first, each group oldest first. */
  public List<TraceDecision> all() {
    List<TraceDecision> all = new ArrayList<>(kept.values());
    all.addAll(dropped.values());
    return all;
  }

  public int size() {
    return kept.size() + dropped.size();
  }
}
