package io.otelpipeline.core.stream;

import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.retry.Backoff;
import io.otelpipeline.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * PutRecords in calls of at most {@value #MAX_RECORDS_PER_CALL} records and
 * {@value #MAX_BYTES_PER_CALL} bytes. Entries that fail are retried alone, with exponential backoff
 * and jitter, until the deadline; entries that succeeded are never sent again. Each call's API
 * timeout is the time left before the deadline, so a stalled stream answers the caller (who then
 * asks its client to retry) before the function itself times out.
 */
public final class KinesisStreamWriter implements StreamWriter {
  public static final int MAX_RECORDS_PER_CALL = 500;
  /** Half of PutRecords' 10 MiB, so one call stays well inside Lambda's time and memory. */
  public static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

  static final Duration INITIAL_BACKOFF = Duration.ofMillis(50);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  /** Less time than this before the deadline is not worth a call. */
  static final Duration MIN_CALL_TIME = Duration.ofMillis(50);
  /** The longest a single call may take whatever the deadline, as the client's own API timeout. */
  static final Duration MAX_CALL_TIME = Duration.ofSeconds(30);
  /**
   * One attempt per call: this writer retries what fails, entry by entry and within the deadline;
   * the SDK's own retries would spend the time left backing off inside one call and end in a
   * timeout that hides a throttle (429) behind a failure (503).
   */
  private static final SdkPlugin ONE_ATTEMPT = config -> config.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));

  /** Told which shard each record landed on, so a stale shard map is noticed. */
  @FunctionalInterface
  public interface PlacementObserver {
    /** Returns false when the record landed on a shard other than the one it was packed for. */
    boolean placed(String streamName, PackedRecord record, String shardId);
  }

  private final KinesisClient kinesis;
  private final Clock clock;
  private final Sleeper sleeper;
  private final PlacementObserver observer;

  public KinesisStreamWriter(KinesisClient kinesis, Clock clock, Sleeper sleeper, PlacementObserver observer) {
    this.kinesis = kinesis;
    this.clock = clock;
    this.sleeper = sleeper;
    this.observer = observer;
  }

  public KinesisStreamWriter(KinesisClient kinesis) {
    this(kinesis, Clock.systemUTC(), Sleeper.system(), (n, r, s) -> true);
  }

  @Override
  public WriteOutcome write(String streamName, List<PackedRecord> records, Instant deadline) {
    List<PackedRecord> pending = new ArrayList<>(records);
    int written = 0;
    int misplaced = 0;
    long itemsWritten = 0;
    boolean throttled = false;
    String lastError = null;
    Backoff backoff = new Backoff(INITIAL_BACKOFF, MAX_BACKOFF, 2, Backoff.Jitter.BELOW, ThreadLocalRandom.current());
    while (!pending.isEmpty()) {
      List<PackedRecord> failed = new ArrayList<>();
      for (List<PackedRecord> call : calls(pending)) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.compareTo(MIN_CALL_TIME) < 0) {
          failed.addAll(call);
          lastError = "no time left before the request's deadline to call PutRecords";
          continue;
        }
        Duration timeout = left.compareTo(MAX_CALL_TIME) > 0 ? MAX_CALL_TIME : left;
        try {
          PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(streamName).records(entries(call))
              .overrideConfiguration(o -> o.apiCallTimeout(timeout).addPlugin(ONE_ATTEMPT)));
          List<PutRecordsResultEntry> results = response.records();
          for (int i = 0; i < call.size(); i++) {
            PutRecordsResultEntry result = results.get(i);
            if (result.errorCode() == null) {
              written++;
              itemsWritten += call.get(i).itemCount();
              if (!observer.placed(streamName, call.get(i), result.shardId())) {
                misplaced++;
              }
            } else {
              failed.add(call.get(i));
              throttled |= "ProvisionedThroughputExceededException".equals(result.errorCode());
              lastError = result.errorCode() + ": " + result.errorMessage();
            }
          }
        } catch (ProvisionedThroughputExceededException e) {
          failed.addAll(call);
          throttled = true;
          lastError = "ProvisionedThroughputExceededException: " + e.getMessage();
        } catch (SdkException e) {
          failed.addAll(call);
          lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
      }
      pending = failed;
      if (pending.isEmpty()) {
        break;
      }
      Duration pause = backoff.next();
      if (clock.instant().plus(pause).isAfter(deadline)) {
        break;
      }
      try {
        sleeper.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long itemsFailed = pending.stream().mapToLong(PackedRecord::itemCount).sum();
    return new WriteOutcome(written, pending.size(), itemsWritten, itemsFailed, throttled, lastError, misplaced);
  }

  private static List<List<PackedRecord>> calls(List<PackedRecord> records) {
    List<List<PackedRecord>> calls = new ArrayList<>();
    List<PackedRecord> current = new ArrayList<>();
    long bytes = 0;
    for (PackedRecord r : records) {
      long size = r.data().length + r.partitionKey().length();
      if (!current.isEmpty() && (current.size() == MAX_RECORDS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
        calls.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(r);
      bytes += size;
    }
    if (!current.isEmpty()) {
      calls.add(current);
    }
    return calls;
  }

  private static List<PutRecordsRequestEntry> entries(List<PackedRecord> call) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>(call.size());
    for (PackedRecord r : call) {
      entries.add(
          PutRecordsRequestEntry.builder()
              .data(SdkBytes.fromByteArrayUnsafe(r.data()))
              .partitionKey(r.partitionKey())
              .explicitHashKey(r.explicitHashKeyDecimal())
              .build());
    }
    return entries;
  }
}
