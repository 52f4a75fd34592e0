package io.otelpipeline.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard for one event source and deals its records to the lanes by partition key. It
 * knows when it has reached the shard's end (a closed shard read to the last record) and when it
 * last found nothing new, which is what "drained" means.
 */
final class ShardReader implements Runnable {
  private static final Duration IDLE_POLL = Duration.ofMillis(200);
  private static final int GET_RECORDS_LIMIT = 1000;

  private final KinesisClient kinesis;
  private final String streamName;
  private final String shardId;
  private final ShardIteratorType startType;
  private final Instant startTimestamp;
  private final List<BatchLane> lanes;
  private final int bufferLimit;
  private volatile boolean running = true;
  private volatile boolean endOfShard;
  private volatile long lastEmptyPollStart = Long.MIN_VALUE;
  private volatile long millisBehind;
  private String lastSequenceNumber;

  ShardReader(KinesisClient kinesis, String streamName, String shardId, ShardIteratorType startType, Instant startTimestamp,
      List<BatchLane> lanes, int bufferLimit) {
    this.kinesis = kinesis;
    this.streamName = streamName;
    this.shardId = shardId;
    this.startType = startType;
    this.startTimestamp = startTimestamp;
    this.lanes = lanes;
    this.bufferLimit = bufferLimit;
  }

  String shardId() {
    return shardId;
  }

  List<BatchLane> lanes() {
    return lanes;
  }

  /** Read to the end of a closed shard and every record handled: its children may start. */
  boolean finished() {
    return endOfShard && lanes.stream().allMatch(BatchLane::idle);
  }

  /** Found nothing new in a read that started at or after {@code sinceNanos}, and every record read is handled. */
  boolean caughtUp(long sinceNanos) {
    return (endOfShard || lastEmptyPollStart >= sinceNanos) && lanes.stream().allMatch(BatchLane::idle);
  }

  long millisBehindLatest() {
    return millisBehind;
  }

  void stop() {
    running = false;
    lanes.forEach(BatchLane::stop);
  }

  @Override
  public void run() {
    String iterator = null;
    while (running && !endOfShard) {
      try {
        if (lanes.stream().mapToInt(BatchLane::queued).sum() >= bufferLimit) {
          Thread.sleep(20);
          continue;
        }
        if (iterator == null) {
          iterator = iterator();
        }
        String current = iterator;
        long pollStart = System.nanoTime();
        GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(GET_RECORDS_LIMIT));
        long readAt = System.nanoTime();
        for (Record r : response.records()) {
          lanes.get(Math.floorMod(r.partitionKey().hashCode(), lanes.size()))
              .offer(new QueuedRecord(shardId, r.sequenceNumber(), r.partitionKey(), r.data().asByteArray(),
              r.approximateArrivalTimestamp() == null ? Instant.now() : r.approximateArrivalTimestamp(), readAt));
          lastSequenceNumber = r.sequenceNumber();
        }
        millisBehind = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
        iterator = response.nextShardIterator();
        if (iterator == null) {
          endOfShard = true;
        } else if (response.records().isEmpty()) {
          lastEmptyPollStart = pollStart;
          Thread.sleep(IDLE_POLL.toMillis());
        }
      } catch (ExpiredIteratorException e) {
        iterator = null;
      } catch (ProvisionedThroughputExceededException e) {
        sleepQuietly(IDLE_POLL);
      } catch (InterruptedException e) {
        return;
      } catch (SdkException e) {
        if (running) {
          System.err.println("[event source] reading " + streamName + "/" + shardId + " failed, retrying: " + e.getMessage());
          sleepQuietly(Duration.ofSeconds(1));
        }
        iterator = null;
      }
    }
  }

  private String iterator() {
    GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamName(streamName).shardId(shardId);
    if (lastSequenceNumber != null) {
      request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(lastSequenceNumber);
    } else {
      request.shardIteratorType(startType);
      if (startType == ShardIteratorType.AT_TIMESTAMP) {
        request.timestamp(startTimestamp);
      }
    }
    return kinesis.getShardIterator(request.build()).shardIterator();
  }

  private void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      running = false;
    }
  }
}
