package io.otelpipeline.local.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.runtime.FunctionRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kinesis-triggered test function that records every batch it gets. A record whose data starts
 * with {@code poison:} always fails; one starting with {@code fail-once:} fails the first time it
 * is seen. MODE=report answers with batch item failures, MODE=throw fails the whole invocation.
 */
public final class RecordingConsumer implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  /** Every invocation, by the function's KEY, in order. */
  public static final Map<String, List<Batch>> BATCHES = new ConcurrentHashMap<>();
  private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();
  private static final AtomicLong ORDER = new AtomicLong();

  private final String key;
  private final boolean report;

  public RecordingConsumer() {
    FunctionEnvironment environment = FunctionRuntime.current().environment();
    this.key = environment.getOrDefault("KEY", "");
    this.report = "report".equals(environment.getOrDefault("MODE", ""));
  }

  /** One delivered record. */
  public record Delivery(String shardId, String sequenceNumber, String partitionKey, String data, String eventId, String eventSourceArn) {}

  /** One invocation: its records, the index of the first failed one (the size when none), and its place in time. */
  public record Batch(List<Delivery> records, int firstFailed, long order) {
    public List<Delivery> succeeded() {
      return records.subList(0, firstFailed);
    }
  }

  public static List<Batch> batches(String key) {
    return BATCHES.getOrDefault(key, List.of());
  }

  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    List<Delivery> records = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    int firstFailed = -1;
    for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
      byte[] bytes = new byte[r.getKinesis().getData().remaining()];
      r.getKinesis().getData().duplicate().get(bytes);
      String data = new String(bytes, StandardCharsets.UTF_8);
      String shardId = r.getEventID().substring(0, r.getEventID().indexOf(':'));
      records.add(new Delivery(shardId, r.getKinesis().getSequenceNumber(), r.getKinesis().getPartitionKey(), data, r.getEventID(), r.getEventSourceARN()));
      boolean fails = data.startsWith("poison:") || (data.startsWith("fail-once:") && FAILED_ONCE.add(data));
      if (fails) {
        failed.add(r.getKinesis().getSequenceNumber());
        if (firstFailed < 0) {
          firstFailed = records.size() - 1;
        }
      }
    }
    boolean anyFailed = firstFailed >= 0;
    BATCHES.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
        .add(new Batch(List.copyOf(records), !anyFailed ? records.size() : report ? firstFailed : 0, ORDER.incrementAndGet()));
    if (anyFailed && !report) {
      throw new IllegalStateException("batch contains a failing record");
    }
    List<StreamsEventResponse.BatchItemFailure> failures = failed.stream()
        .map(seq -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build())
        .toList();
    return new StreamsEventResponse(failures);
  }
}
