package io.otelpipeline.core.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.CachedShardMap;
import io.otelpipeline.core.partition.LogPartitioner;
import io.otelpipeline.core.partition.MetricPartitioner;
import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.partition.Partitioned;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.partition.ShardMapSource;
import io.otelpipeline.core.partition.SignalPartitioner;
import io.otelpipeline.core.partition.TracePartitioner;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.stream.KinesisStreamWriter.PlacementObserver;
import io.otelpipeline.core.stream.StreamWriter;
import io.otelpipeline.core.stream.WriteOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * For each signal: its stream, its partitioner and the stream's cached shard map. A write that
 * lands a record on a shard other than the one the map predicted marks the map stale.
 */
public final class SignalRoutes {
  private record Route(String streamName, SignalPartitioner partitioner, CachedShardMap shards) {}

  private final Map<Signal, Route> routes = new EnumMap<>(Signal.class);
  private final StreamWriter writer;

  public SignalRoutes(Map<Signal, String> streamNames, Compression compression, ShardMapSource shardSource, StreamWriter writer, Clock clock) {
    this(streamNames, compression, shardSource, placements -> writer, clock);
  }

  /**
   * Routes whose writer reports to them where each record landed ({@link #placed}), so a reshard
   * the cached maps missed is noticed at the first write that meets it.
   */
  public SignalRoutes(
      Map<Signal, String> streamNames,
      Compression compression,
      ShardMapSource shardSource,
      Function<PlacementObserver, StreamWriter> writerReportingTo,
      Clock clock) {
    this.writer = writerReportingTo.apply(this::placed);
    for (Map.Entry<Signal, String> e : streamNames.entrySet()) {
      SignalPartitioner partitioner = switch (e.getKey()) {
        case TRACES -> new TracePartitioner(compression);
        case METRICS -> new MetricPartitioner(compression);
        case LOGS -> new LogPartitioner(compression);
      };
      routes.put(e.getKey(), new Route(e.getValue(), partitioner,
          new CachedShardMap(e.getValue(), shardSource, clock, CachedShardMap.DEFAULT_REFRESH)));
    }
  }

  Partitioned partition(Signal signal, byte[] otlpRequest) throws InvalidProtocolBufferException {
    Route route = route(signal);
    return route.partitioner().partition(otlpRequest, route.shards().get());
  }

  WriteOutcome write(Signal signal, List<PackedRecord> records, Instant deadline) {
    Route route = route(signal);
    return writer.write(route.streamName(), records, deadline);
  }

  /**
   * Called with the shard a record landed on; a surprise means the stream was resharded: the map is
   * reloaded at its next use, and the answer is false.
   */
  public boolean placed(String streamName, PackedRecord record, String shardId) {
    boolean expected = true;
    for (Route route : routes.values()) {
      if (route.streamName().equals(streamName) && record.explicitHashKey() != null) {
        ShardMap map = route.shards().get();
        if (!map.shardOf(record.explicitHashKey()).shardId().equals(shardId)) {
          route.shards().invalidate();
          expected = false;
        }
      }
    }
    return expected;
  }

  private Route route(Signal signal) {
    Route route = routes.get(signal);
    if (route == null) {
      throw new IllegalStateException("no stream configured for " + signal);
    }
    return route;
  }
}
