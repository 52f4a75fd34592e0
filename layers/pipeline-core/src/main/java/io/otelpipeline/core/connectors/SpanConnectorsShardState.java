package io.otelpipeline.core.connectors;

import io.otelpipeline.core.servicegraph.WaitingHalves;
import io.otelpipeline.core.spans.SeenSpans;
import io.otelpipeline.core.spans.SpanPass;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the span-metrics function carries for one shard from one invocation to the next, each part
 * owned by what reads it: how far the shard's stream time has come and the span ids it counted
 * recently (the {@link SpanPass}'s, exactly-once for duplicate spans), and the halves waiting for
 * their partner (the servicegraph connector's). Saved once per invocation through
 * {@link io.otelpipeline.core.shardstate.ShardStates}, with the sequence number of the last record
 * it took in: a record at or below it is never counted again (exactly-once for retried batches).
 *
 * <p>The spanmetrics connector carries nothing: with delta temporality each invocation exports what
 * its records added, and cumulative totals are shared by every shard in the span-metrics table.
 */
public final class SpanConnectorsShardState implements SpanPass.State {
  private long streamTimeMillis;
  private final SeenSpans seen;
  private final WaitingHalves waiting;

  SpanConnectorsShardState(long streamTimeMillis, SeenSpans seen, WaitingHalves waiting) {
    this.streamTimeMillis = streamTimeMillis;
    this.seen = seen;
    this.waiting = waiting;
  }

  /** The state of a shard that never saved one and has no parents. */
  public static SpanConnectorsShardState empty() {
    return new SpanConnectorsShardState(Long.MIN_VALUE, SeenSpans.empty(), WaitingHalves.empty());
  }

  /**
   * The state a child shard starts from after a reshard: what its parents (one for a split, two for
   * a merge) left of the traces it owns ({@code owns}: the trace id in hex is in its hash keys), at
   * the later of their stream times.
   */
  public static SpanConnectorsShardState inherit(List<SpanConnectorsShardState> parents, Predicate<String> owns) {
    long time = parents.stream().mapToLong(p -> p.streamTimeMillis).max().orElse(Long.MIN_VALUE);
    return new SpanConnectorsShardState(
        time,
        SeenSpans.inherit(parents.stream().map(p -> p.seen).toList(), owns),
        WaitingHalves.inherit(parents.stream().map(p -> p.waiting).toList(), owns));
  }

  /**
   * Moves the shard's stream time to a record's arrival and returns it; it never goes back (arrival
   * timestamps are approximate), so what expires by it expires once.
   */
  @Override
  public Instant advanceTo(Instant arrival) {
    streamTimeMillis = Math.max(streamTimeMillis, arrival.toEpochMilli());
    return streamTime();
  }

  /** The latest arrival taken in; {@link Instant#EPOCH} before the first. */
  public Instant streamTime() {
    return streamTimeMillis == Long.MIN_VALUE ? Instant.EPOCH : Instant.ofEpochMilli(streamTimeMillis);
  }

  long streamTimeMillis() {
    return streamTimeMillis;
  }

  @Override
  public SeenSpans seen() {
    return seen;
  }

  public WaitingHalves waiting() {
    return waiting;
  }
}
