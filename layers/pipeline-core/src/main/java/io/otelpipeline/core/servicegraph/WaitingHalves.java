package io.otelpipeline.core.servicegraph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Client and server halves of calls waiting in a shard's state for their other half, each until
 * its due time in the shard's stream time (the Collector's store, with {@code store.ttl} counted
 * from when the half was read off the stream rather than from a process's clock). Spans of one
 * trace are in one shard, so both halves of a call meet here or nowhere.
 *
 * <p>Halves are kept in due order (the stream's time only moves forward), so expiry takes them
 * from the front.
 */
public final class WaitingHalves {
  /** A half and when it stops waiting, in epoch milliseconds of stream time. */
  public record Waiting(EdgeHalf half, long dueMillis) {}

  private final LinkedHashMap<String, Waiting> byKey = new LinkedHashMap<>();

  public static WaitingHalves empty() {
    return new WaitingHalves();
  }

  /** Halves in any order (those of merged parent shards), put in due order. */
  public static WaitingHalves of(Collection<Waiting> halves) {
    WaitingHalves out = new WaitingHalves();
    halves.stream().sorted(Comparator.comparingLong(Waiting::dueMillis)).forEach(w -> out.byKey.putIfAbsent(w.half().key(), w));
    return out;
  }

  /**
   * What a child shard starts from after a reshard: the halves of its parents (one for a split, two
   * for a merge) of the traces whose hex id {@code keepTrace} accepts (those in its hash keys).
   */
  public static WaitingHalves inherit(List<WaitingHalves> parents, Predicate<String> keepTrace) {
    List<Waiting> halves = new ArrayList<>();
    for (WaitingHalves p : parents) {
      halves.addAll(p.filter(keepTrace));
    }
    return of(halves);
  }

  public int size() {
    return byKey.size();
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** The half waiting under this key (trace id and client span id), or null. */
  Waiting get(String key) {
    return byKey.get(key);
  }

  Waiting remove(String key) {
    return byKey.remove(key);
  }

  /** Parks a half until {@code due}; dues only grow, so the order stays the due order. */
  void park(EdgeHalf half, Instant due) {
    byKey.put(half.key(), new Waiting(half, due.toEpochMilli()));
  }

  /** Removes and returns, oldest first, the halves whose due time is before {@code now}. */
  List<EdgeHalf> expire(Instant now) {
    long nowMillis = now.toEpochMilli();
    List<EdgeHalf> expired = new ArrayList<>();
    Iterator<Map.Entry<String, Waiting>> it = byKey.entrySet().iterator();
    while (it.hasNext()) {
      Waiting w = it.next().getValue();
      if (w.dueMillis() >= nowMillis) {
        break;
      }
      expired.add(w.half());
      it.remove();
    }
    return expired;
  }

  /** Every waiting half, in due order. */
  public List<Waiting> all() {
    return List.copyOf(byKey.values());
  }

  /** The halves of the traces {@code keep} accepts (a child shard keeps those in its hash keys). */
  private List<Waiting> filter(Predicate<String> keepTrace) {
    return byKey.values().stream().filter(w -> keepTrace.test(w.half().traceId())).toList();
  }
}
