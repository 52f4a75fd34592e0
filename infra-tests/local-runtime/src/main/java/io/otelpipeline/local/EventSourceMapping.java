package io.otelpipeline.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Lambda's Kinesis event source mapping for one function and one stream: finds the stream's shards,
 * starts a reader for each (parents read to their end and handled before their children start, as
 * after resharding), with ParallelizationFactor lanes per shard.
 */
final class EventSourceMapping implements AutoCloseable {
  private static final Duration DISCOVERY_INTERVAL = Duration.ofMillis(300);

  private final LocalFunction function;
  private final KinesisSource source;
  private final String streamName;
  private final KinesisClient kinesis;
  private final FailureFiles failures;
  private final String region;
  private final AtomicLong invocations;
  private final Clock clock;
  private final Map<String, ShardReader> readers = new LinkedHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  /** Closed shards a LATEST mapping found at its start: nothing of theirs is ever delivered. */
  private final Set<String> skipped = new HashSet<>();
  private final Thread discovery;
  private volatile boolean running = true;
  private boolean started;

  EventSourceMapping(LocalFunction function, KinesisSource source, String streamName, KinesisClient kinesis, FailureFiles failures,
      String region, AtomicLong invocations, Clock clock) {
    this.function = function;
    this.source = source;
    this.streamName = streamName;
    this.kinesis = kinesis;
    this.failures = failures;
    this.region = region;
    this.invocations = invocations;
    this.clock = clock;
    this.discovery = new Thread(this::discoverLoop, function.spec().logicalId() + "-" + source.eventName() + "-shards");
    this.discovery.setDaemon(true);
  }

  /** Finds the shards once, synchronously, so that a LATEST mapping's position is fixed when the stack is ready. */
  void start() {
    discover();
    discovery.start();
  }

  String function() {
    return function.spec().logicalId();
  }

  KinesisSource source() {
    return source;
  }

  String streamName() {
    return streamName;
  }

  /** The most consecutive retries any batch of this mapping has had so far. */
  synchronized int mostRetries() {
    return readers.values().stream().flatMap(r -> r.lanes().stream()).mapToInt(BatchLane::mostRetries).max().orElse(0);
  }

  long failedRecords() {
    return failures.records();
  }

  /** Every given shard is read to its tip in a read that began at or after {@code sinceNanos}, and all handled. */
  synchronized boolean caughtUp(List<String> shardIds, long sinceNanos) {
    for (String shardId : shardIds) {
      if (skipped.contains(shardId)) {
        continue;
      }
      ShardReader reader = readers.get(shardId);
      if (reader == null || !reader.caughtUp(sinceNanos)) {
        return false;
      }
    }
    return true;
  }

  /** Records read and not yet handled, and how far behind the oldest of them (or the tip) is. */
  synchronized Lag lag() {
    long records = 0;
    Duration behind = Duration.ZERO;
    Instant now = clock.instant();
    for (ShardReader reader : readers.values()) {
      behind = max(behind, Duration.ofMillis(reader.millisBehindLatest()));
      for (BatchLane lane : reader.lanes()) {
        records += lane.queued();
        Instant oldest = lane.oldestArrival();
        if (oldest != null) {
          behind = max(behind, Duration.between(oldest, now));
        }
      }
    }
    return new Lag(records, behind);
  }

  /** A consumer's distance from its stream's tip. */
  record Lag(long records, Duration behind) {}

  @Override
  public void close() {
    running = false;
    discovery.interrupt();
    List<Thread> toJoin;
    synchronized (this) {
      readers.values().forEach(ShardReader::stop);
      toJoin = List.copyOf(threads);
    }
    toJoin.forEach(Thread::interrupt);
    for (Thread t : toJoin) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void discoverLoop() {
    while (running) {
      try {
        Thread.sleep(DISCOVERY_INTERVAL.toMillis());
        discover();
      } catch (InterruptedException e) {
        return;
      } catch (SdkException e) {
        if (running) {
          System.err.println("[" + function() + "] listing the shards of " + streamName + " failed, retrying: " + e.getMessage());
        }
      }
    }
  }

  private synchronized void discover() {
    List<Shard> shards = Shards.list(kinesis, streamName);
    Set<String> listed = new HashSet<>();
    shards.forEach(s -> listed.add(s.shardId()));
    boolean initial = !started;
    started = true;
    for (Shard shard : shards) {
      String id = shard.shardId();
      if (readers.containsKey(id) || skipped.contains(id)) {
        continue;
      }
      boolean closed = shard.sequenceNumberRange().endingSequenceNumber() != null;
      if (initial && closed && !source.startingPosition().equals("TRIM_HORIZON")) {
        skipped.add(id);
        continue;
      }
      if (!parentDone(shard.parentShardId(), listed) || !parentDone(shard.adjacentParentShardId(), listed)) {
        continue;
      }
      ShardIteratorType position = initial ? ShardIteratorType.fromValue(source.startingPosition()) : ShardIteratorType.TRIM_HORIZON;
      startReader(id, position);
    }
  }

  private boolean parentDone(String parent, Set<String> listed) {
    if (parent == null || !listed.contains(parent) || skipped.contains(parent)) {
      return true;
    }
    ShardReader reader = readers.get(parent);
    return reader != null && reader.finished();
  }

  private void startReader(String shardId, ShardIteratorType position) {
    List<BatchLane> lanes = new ArrayList<>();
    for (int i = 0; i < source.parallelizationFactor(); i++) {
      BatchLane lane = new BatchLane(function, source, region, failures, invocations, clock);
      lanes.add(lane);
      threads.add(daemon(lane, function() + "-" + shardId + "-lane" + i));
    }
    int bufferLimit = Math.max(2 * source.batchSize(), 1000) * source.parallelizationFactor();
    ShardReader reader = new ShardReader(kinesis, streamName, shardId, position, source.startingTimestamp().orElse(null), lanes, bufferLimit);
    readers.put(shardId, reader);
    threads.add(daemon(reader, function() + "-" + shardId + "-reader"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
