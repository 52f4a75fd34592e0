package io.otelpipeline.local;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One concurrent batch of a shard, as Lambda's ParallelizationFactor makes them: records of the
 * same partition key always land in the same lane, so their order holds. The lane forms batches
 * (BatchSize, MaximumBatchingWindowInSeconds, the 6 MB payload), invokes the function one batch at a
 * time and applies Lambda's error handling: ReportBatchItemFailures checkpoints before the lowest
 * failed sequence number and retries from it, BisectBatchOnFunctionError splits a failing batch,
 * MaximumRetryAttempts and MaximumRecordAgeInSeconds send records to the OnFailure destination.
 */
final class BatchLane implements Runnable {
  private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(100);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

  private final LocalFunction function;
  private final KinesisSource source;
  private final String region;
  private final FailureFiles failures;
  private final AtomicLong invocations;
  private final Clock clock;
  private final Deque<QueuedRecord> queue = new ArrayDeque<>();
  /** Sizes of the next batches when a failure fixed them: a retry or the halves of a bisected batch. */
  private final Deque<Integer> planned = new ArrayDeque<>();
  private volatile boolean running = true;
  private volatile boolean invoking;
  private int attempts;
  private volatile int mostRetries;
  private String lastError;

  BatchLane(LocalFunction function, KinesisSource source, String region, FailureFiles failures, AtomicLong invocations, Clock clock) {
    this.function = function;
    this.source = source;
    this.region = region;
    this.failures = failures;
    this.invocations = invocations;
    this.clock = clock;
  }

  synchronized void offer(QueuedRecord record) {
    queue.addLast(record);
    notifyAll();
  }

  synchronized int queued() {
    return queue.size();
  }

  /** The most consecutive retries of one batch so far. */
  int mostRetries() {
    return mostRetries;
  }

  /** Nothing waiting and nothing being handled. */
  synchronized boolean idle() {
    return queue.isEmpty() && !invoking;
  }

  /** The arrival time of the oldest record not yet handled. */
  synchronized Instant oldestArrival() {
    return queue.isEmpty() ? null : queue.peekFirst().arrival();
  }

  void stop() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
  }

  @Override
  public void run() {
    while (running) {
      List<QueuedRecord> batch;
      try {
        batch = nextBatch();
      } catch (InterruptedException e) {
        return;
      }
      if (batch.isEmpty() || discardExpired(batch)) {
        continue;
      }
      handle(batch);
    }
  }

  private void handle(List<QueuedRecord> batch) {
    int handled;
    try {
      invocations.incrementAndGet();
      Object response = function.invoke(event(batch));
      handled = firstFailure(response, batch);
      if (handled < batch.size()) {
        lastError = "ReportBatchItemFailures from sequence number " + batch.get(handled).sequenceNumber();
      }
    } catch (LocalFunction.FunctionError e) {
      handled = 0;
      lastError = String.valueOf(e.getCause());
      System.err.println("[" + function.spec().logicalId() + "] batch of " + batch.size() + " from " + batch.get(0).shardId()
          + " failed: " + e.getCause());
    } finally {
      synchronized (this) {
        invoking = false;
      }
    }
    if (handled == batch.size()) {
      synchronized (this) {
        remove(batch.size());
        planned.pollFirst();
      }
      attempts = 0;
      return;
    }
    List<QueuedRecord> failed = batch.subList(handled, batch.size());
    synchronized (this) {
      remove(handled);
      planned.pollFirst();
      if (handled == 0 && source.bisectOnError() && failed.size() > 1) {
        // splitting does not count as a retry
        planned.addFirst(failed.size() - failed.size() / 2);
        planned.addFirst(failed.size() / 2);
        return;
      }
      attempts = handled > 0 ? 1 : attempts + 1;
      mostRetries = Math.max(mostRetries, attempts);
      if (source.maximumRetryAttempts().isPresent() && attempts > source.maximumRetryAttempts().get()) {
        failures.write(failed.get(0).shardId(), List.copyOf(failed), "RetryAttemptsExhausted", attempts - 1, lastError);
        remove(failed.size());
        attempts = 0;
        return;
      }
      planned.addFirst(failed.size());
    }
    pause(retryDelay(attempts));
  }

  /**
   * The index of the first record not handled: the batch size when all were, 0 when the function
   * failed as a whole (an invalid or missing item identifier counts as that, as for Lambda).
   */
  private int firstFailure(Object response, List<QueuedRecord> batch) {
    if (!source.reportBatchItemFailures() || !(response instanceof StreamsEventResponse r) || r.getBatchItemFailures() == null
        || r.getBatchItemFailures().isEmpty()) {
      return batch.size();
    }
    int lowest = batch.size();
    for (StreamsEventResponse.BatchItemFailure f : r.getBatchItemFailures()) {
      String id = f.getItemIdentifier();
      int index = -1;
      for (int i = 0; i < batch.size(); i++) {
        if (batch.get(i).sequenceNumber().equals(id)) {
          index = i;
          break;
        }
      }
      if (index < 0) {
        return 0;
      }
      lowest = Math.min(lowest, index);
    }
    return lowest;
  }

  /** Sends records older than MaximumRecordAgeInSeconds to the failure destination; true when it did. */
  private boolean discardExpired(List<QueuedRecord> batch) {
    if (source.maximumRecordAge().isEmpty()) {
      return false;
    }
    Instant oldestAllowed = clock.instant().minus(source.maximumRecordAge().get());
    int expired = 0;
    while (expired < batch.size() && batch.get(expired).arrival().isBefore(oldestAllowed)) {
      expired++;
    }
    if (expired == 0) {
      return false;
    }
    synchronized (this) {
      failures.write(batch.get(0).shardId(), List.copyOf(batch.subList(0, expired)), "RecordAgeExceeded", attempts, lastError);
      remove(expired);
      planned.clear();
      attempts = 0;
      invoking = false;
    }
    return true;
  }

  private synchronized List<QueuedRecord> nextBatch() throws InterruptedException {
    while (running && queue.isEmpty()) {
      wait();
    }
    if (!running) {
      return List.of();
    }
    int limit = planned.isEmpty() ? source.batchSize() : Math.min(planned.peekFirst(), queue.size());
    if (planned.isEmpty()) {
      long windowEnds = queue.peekFirst().readAtNanos() + source.batchingWindow().toNanos();
      while (running && queue.size() < limit && payload(limit) < KinesisSource.MAX_PAYLOAD_BYTES) {
        long left = windowEnds - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    List<QueuedRecord> batch = new ArrayList<>();
    int bytes = 0;
    for (QueuedRecord r : queue) {
      if (batch.size() == limit || (!batch.isEmpty() && bytes + r.payloadBytes() > KinesisSource.MAX_PAYLOAD_BYTES)) {
        break;
      }
      batch.add(r);
      bytes += r.payloadBytes();
    }
    invoking = !batch.isEmpty();
    return batch;
  }

  private int payload(int limit) {
    int bytes = 0;
    int n = 0;
    for (QueuedRecord r : queue) {
      if (n++ == limit) {
        break;
      }
      bytes += r.payloadBytes();
    }
    return bytes;
  }

  private void remove(int count) {
    for (int i = 0; i < count; i++) {
      queue.pollFirst();
    }
  }

  private KinesisEvent event(List<QueuedRecord> batch) {
    List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
    for (QueuedRecord q : batch) {
      KinesisEvent.Record kinesis = new KinesisEvent.Record();
      kinesis.setKinesisSchemaVersion("1.0");
      kinesis.setPartitionKey(q.partitionKey());
      kinesis.setSequenceNumber(q.sequenceNumber());
      kinesis.setData(ByteBuffer.wrap(q.data()).asReadOnlyBuffer());
      kinesis.setApproximateArrivalTimestamp(Date.from(q.arrival()));
      KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
      record.setKinesis(kinesis);
      record.setEventSource("aws:kinesis");
      record.setEventVersion("1.0");
      record.setEventID(q.shardId() + ":" + q.sequenceNumber());
      record.setEventName("aws:kinesis:record");
      record.setInvokeIdentityArn("arn:aws:iam::" + LocalNames.ACCOUNT + ":role/" + function.spec().name() + "Role");
      record.setAwsRegion(region);
      record.setEventSourceARN(source.streamArn());
      records.add(record);
    }
    KinesisEvent event = new KinesisEvent();
    event.setRecords(records);
    return event;
  }

  private static Duration retryDelay(int attempt) {
    long millis = FIRST_RETRY_DELAY.toMillis() << Math.min(Math.max(attempt - 1, 0), 10);
    return Duration.ofMillis(Math.min(millis, MAX_RETRY_DELAY.toMillis()));
  }

  private void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      running = false;
      Thread.currentThread().interrupt();
    }
  }
}
