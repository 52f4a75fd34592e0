package io.otelpipeline.core.spans;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The span ids a shard has counted recently, by trace, so that a duplicate span (same trace id and
 * span id: a client's retry of a request ingest had already written, or a record written twice)
 * is counted once. Spans of one trace are in one shard, so a shard's own memory is enough.
 *
 * <p>Bounded in the shard's stream time and in count: a trace is forgotten once no span of it
 * arrived for {@link Limits#window()}, and the traces seen longest ago are forgotten first when
 * more than {@link Limits#maxSpans()} span ids are kept. A duplicate arriving later than that is
 * counted again. The defaults cover client retries (the Collector's exporters retry for up to
 * 5 minutes, but a retry that arrives after ingest wrote the request lands within seconds of the
 * first) while keeping the state that every invocation saves small: at 1,000 spans/s per shard,
 * 2 minutes are 120,000 span ids, about 8 bytes each plus 16 per trace (see BENCHMARKS.md).
 */
public final class SeenSpans {
  /** How long, in stream time, and how many span ids a shard remembers. */
  public record Limits(Duration window, int maxSpans) {
    public static final Limits DEFAULT = new Limits(Duration.ofMinutes(2), 250_000);

    public Limits {
      if (window.isNegative() || window.isZero() || maxSpans < 1) {
        throw new IllegalArgumentException("the span dedup window must be positive and keep at least one span id: " + window + ", " + maxSpans);
      }
    }
  }

  /** The span ids of one trace, and when (stream time, epoch ms) one of them last arrived. */
  static final class Trace {
    final long hi;
    final long lo;
    long lastSeenMillis;
    long[] spans = new long[4];
    int count;
    /** Built once a trace has many spans, so that a look-up stays constant-time. */
    private Set<Long> index;

    Trace(long hi, long lo, long lastSeenMillis) {
      this.hi = hi;
      this.lo = lo;
      this.lastSeenMillis = lastSeenMillis;
    }

    boolean contains(long spanId) {
      if (index != null) {
        return index.contains(spanId);
      }
      for (int i = 0; i < count; i++) {
        if (spans[i] == spanId) {
          return true;
        }
      }
      return false;
    }

    void add(long spanId) {
      if (count == spans.length) {
        spans = Arrays.copyOf(spans, count * 2);
      }
      spans[count++] = spanId;
      if (index != null) {
        index.add(spanId);
      } else if (count > 32) {
        index = new HashSet<>();
        for (int i = 0; i < count; i++) {
          index.add(spans[i]);
        }
      }
    }

    long[] spanIds() {
      return Arrays.copyOf(spans, count);
    }
  }

  private record TraceKey(long hi, long lo) {}

  /** In the order their last span arrived, oldest first: what the window and the cap drop first. */
  private final LinkedHashMap<TraceKey, Trace> traces = new LinkedHashMap<>(16, 0.75f, true);
  private int spanCount;

  public static SeenSpans empty() {
    return new SeenSpans();
  }

  /**
   * Records a span arriving at stream time {@code now}; true if it was not seen before (count it),
   * false for a duplicate.
   */
  public boolean add(byte[] traceId, byte[] spanId, Instant now, Limits limits) {
    long nowMillis = now.toEpochMilli();
    TraceKey key = new TraceKey(word(traceId, 0), word(traceId, 8));
    Trace trace = traces.get(key);
    long span = word(spanId, 0);
    if (trace == null) {
      trace = new Trace(key.hi(), key.lo(), nowMillis);
      traces.put(key, trace);
    }
    trace.lastSeenMillis = Math.max(trace.lastSeenMillis, nowMillis);
    if (trace.contains(span)) {
      return false;
    }
    trace.add(span);
    spanCount++;
    while (spanCount > limits.maxSpans() && traces.size() > 1) {
      dropOldest();
    }
    return true;
  }

  /** Forgets the traces no span of which arrived within the window before {@code now}. */
  public void forgetBefore(Instant now, Limits limits) {
    long oldest = now.minus(limits.window()).toEpochMilli();
    Iterator<Trace> it = traces.values().iterator();
    while (it.hasNext()) {
      Trace t = it.next();
      if (t.lastSeenMillis >= oldest) {
        break;
      }
      spanCount -= t.count;
      it.remove();
    }
  }

  private void dropOldest() {
    Iterator<Trace> it = traces.values().iterator();
    Trace t = it.next();
    spanCount -= t.count;
    it.remove();
  }

  public int spanCount() {
    return spanCount;
  }

  public int traceCount() {
    return traces.size();
  }

  /** Every trace, oldest first (iterating does not reorder them). */
  List<Trace> traces() {
    return List.copyOf(traces.values());
  }

  /** The trace id, lower-case hex, of a kept trace. */
  static String hex(Trace t) {
    return String.format("%016x%016x", t.hi, t.lo);
  }

  /**
   * What a child shard starts from after a reshard: the traces of its parents (one for a split, two
   * for a merge) whose hex id {@code keepTrace} accepts (those in its hash keys).
   */
  public static SeenSpans inherit(List<SeenSpans> parents, Predicate<String> keepTrace) {
    List<Trace> traces = new ArrayList<>();
    for (SeenSpans p : parents) {
      traces.addAll(p.filter(keepTrace));
    }
    return of(traces);
  }

  /** Restores traces (a decoded state, or the parents' states of a child shard), put in arrival order. */
  static SeenSpans of(List<Trace> traces) {
    SeenSpans out = new SeenSpans();
    List<Trace> ordered = new ArrayList<>(traces);
    ordered.sort(Comparator.comparingLong(t -> t.lastSeenMillis));
    for (Trace t : ordered) {
      TraceKey key = new TraceKey(t.hi, t.lo);
      Trace existing = out.traces.get(key);
      if (existing == null) {
        out.traces.put(key, t);
        out.spanCount += t.count;
      } else {
        for (long span : t.spanIds()) {
          if (!existing.contains(span)) {
            existing.add(span);
            out.spanCount++;
          }
        }
        existing.lastSeenMillis = Math.max(existing.lastSeenMillis, t.lastSeenMillis);
      }
    }
    return out;
  }

  /** The traces whose (hex) id {@code keep} accepts. */
  List<Trace> filter(Predicate<String> keep) {
    List<Trace> out = new ArrayList<>();
    for (Map.Entry<TraceKey, Trace> e : traces.entrySet()) {
      if (keep.test(hex(e.getValue()))) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /** Eight bytes from {@code offset} as a long (missing bytes of a short or empty id count as zero). */
  static long word(byte[] bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      int at = offset + i;
      v = (v << 8) | (at < bytes.length ? bytes[at] & 0xFF : 0);
    }
    return v;
  }
}
