package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.otelpipeline.local.functions.RecordingConsumer;
import io.otelpipeline.local.functions.RecordingConsumer.Batch;
import io.otelpipeline.local.functions.RecordingConsumer.Delivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The event source mapping emulator's semantics, against kinesis-mock, with the recording test function. */
class EventSourceMappingIT {
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    Path template = Path.of(EventSourceMappingIT.class.getResource("/local-stack-test.yaml").toURI());
    stack = LocalStack.start(LocalStackOptions.defaults().template(template));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void batchesUpToBatchSizeAndWaitsForTheWindow() throws Exception {
    long started = System.nanoTime();
    put("BatchStream", "k", List.of("a"));
    Thread.sleep(500);
    put("BatchStream", "k", List.of("b", "c"));
    boolean withinWindow = System.nanoTime() - started < Duration.ofMillis(2500).toNanos();
    stack.awaitDrained(DRAIN);
    assumeTrue(withinWindow, "the puts took longer than the 3 s batching window");
    assertEquals(List.of(List.of("a", "b", "c")), datas(RecordingConsumer.batches("batching")));

    put("BatchStream", "k", range("r", 25));
    stack.awaitDrained(DRAIN);
    List<Batch> batches = RecordingConsumer.batches("batching");
    assertEquals(List.of(3, 10, 10, 5), batches.stream().map(b -> b.records().size()).toList());
    assertEquals(range("r", 25), batches.subList(1, 4).stream().flatMap(b -> b.records().stream()).map(Delivery::data).toList());
  }

  @Test
  void aPartialFailureIsRetriedFromTheLowestFailedRecordAndNothingBeforeItComesBack() {
    List<String> records = new ArrayList<>(range("r", 30));
    records.set(4, "fail-once:r4");
    records.set(12, "fail-once:r12");
    records.set(15, "fail-once:r15");
    put("PartialStream", "k", records);
    stack.awaitDrained(DRAIN);

    List<Batch> batches = RecordingConsumer.batches("partial");
    List<String> handled = batches.stream().flatMap(b -> b.succeeded().stream()).map(Delivery::data).toList();
    assertEquals(records, handled, "every record handled exactly once, in order");
    for (int i = 0; i < batches.size() - 1; i++) {
      Batch b = batches.get(i);
      if (b.firstFailed() < b.records().size()) {
        assertEquals(b.records().get(b.firstFailed()).data(), batches.get(i + 1).records().get(0).data(), "the retry starts at the lowest failed record");
      }
    }
    Map<String, Long> deliveries = batches.stream().flatMap(b -> b.records().stream())
        .collect(Collectors.groupingBy(Delivery::data, Collectors.counting()));
    for (String r : records.subList(0, 4)) {
      assertEquals(1L, deliveries.get(r), r + " succeeded before the first failure and must not come back");
    }
    assertEquals(2L, deliveries.get("fail-once:r4"));
  }

  @Test
  void aFailingBatchIsBisectedUntilThePoisonRecordIsAlone() throws Exception {
    List<String> records = new ArrayList<>(range("r", 8));
    records.set(5, "poison:r5");
    put("BisectStream", "k", records);
    stack.awaitDrained(DRAIN);

    List<Batch> batches = RecordingConsumer.batches("bisect");
    assertEquals(List.of(8, 4, 4, 2, 1, 1, 1, 2), batches.stream().map(b -> b.records().size()).toList());
    List<String> handled = batches.stream().flatMap(b -> b.succeeded().stream()).map(Delivery::data).toList();
    assertEquals(Stream.of("r0", "r1", "r2", "r3", "r4", "r6", "r7").toList(), handled);
    assertEquals(List.of("poison:r5"), failedRecordData("BisectFunction"));
  }

  @Test
  void afterMaximumRetryAttemptsTheBatchGoesToTheFailureDestinationAndTheRestFlowsOn() throws Exception {
    put("RetryStream", "k", List.of("ok0", "ok1", "poison:x", "ok3", "ok4"));
    stack.awaitDrained(DRAIN);
    put("RetryStream", "k", List.of("ok5", "ok6"));
    stack.awaitDrained(DRAIN);

    List<Batch> batches = RecordingConsumer.batches("retry");
    assertEquals(List.of(5, 5, 5, 2), batches.stream().map(b -> b.records().size()).toList(), "one try and two retries, then the next records");
    assertEquals(List.of("ok5", "ok6"), datas(batches.subList(3, 4)).get(0));
    assertEquals(List.of("ok0", "ok1", "ok3", "ok4", "poison:x"), failedRecordData("RetryFunction").stream().sorted().toList());
    String invocation = invocationRecord("RetryFunction");
    assertTrue(invocation.contains("\"condition\" : \"RetryAttemptsExhausted\""), invocation);
    assertTrue(invocation.contains("\"batchSize\" : 5"), invocation);
  }

  @Test
  void recordsOlderThanMaximumRecordAgeGoToTheFailureDestination() throws Exception {
    put("AgeStream", "k", List.of("poison:old"));
    // Lambda's shortest MaximumRecordAgeInSeconds is 60: the poison record is retried that long
    stack.awaitDrained(DRAIN.plusSeconds(60));
    put("AgeStream", "k", List.of("fresh"));
    stack.awaitDrained(DRAIN);

    assertEquals(List.of("poison:old"), failedRecordData("AgeFunction"));
    assertTrue(invocationRecord("AgeFunction").contains("\"condition\" : \"RecordAgeExceeded\""));
    List<Batch> batches = RecordingConsumer.batches("age");
    assertEquals(List.of("fresh"), datas(batches.subList(batches.size() - 1, batches.size())).get(0));
  }

  @Test
  void reshardingMidStreamDeliversEveryRecordOnceAndParentsBeforeChildren() throws Exception {
    String stream = stack.physicalName("ReshardStream");
    List<String> keys = range("key", 16);
    Map<String, List<String>> sentByKey = new HashMap<>();
    for (int round = 0; round < 10; round++) {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (String key : keys) {
        String data = key + "#" + round;
        sentByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(data);
        entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(data)).build());
      }
      assertEquals(0, stack.kinesis().putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount());
      if (round == 4) {
        stack.kinesis().updateShardCount(b -> b.streamName(stream).targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING));
        while (stack.kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
          Thread.sleep(20);
        }
      }
    }
    stack.awaitDrained(DRAIN);

    List<Shard> shards = Shards.list(stack.kinesis(), stream);
    assertTrue(shards.size() > 2, "UpdateShardCount made child shards: " + shards);
    List<Delivery> delivered = RecordingConsumer.batches("reshard").stream().flatMap(b -> b.records().stream()).toList();
    List<String> all = sentByKey.values().stream().flatMap(List::stream).sorted().toList();
    assertEquals(all, delivered.stream().map(Delivery::data).sorted().toList(), "every record exactly once");
    Map<String, List<String>> deliveredByKey = delivered.stream()
        .collect(Collectors.groupingBy(d -> d.partitionKey(), Collectors.mapping(Delivery::data, Collectors.toList())));
    assertEquals(sentByKey, deliveredByKey, "order kept per partition key across the resharding");

    List<Batch> batches = RecordingConsumer.batches("reshard");
    for (Shard child : shards) {
      for (String parent : Stream.of(child.parentShardId(), child.adjacentParentShardId()).filter(p -> p != null).toList()) {
        long lastOfParent = batches.stream().filter(b -> b.records().get(0).shardId().equals(parent)).mapToLong(Batch::order).max().orElse(0);
        long firstOfChild = batches.stream().filter(b -> b.records().get(0).shardId().equals(child.shardId())).mapToLong(Batch::order).min()
            .orElse(Long.MAX_VALUE);
        assertTrue(lastOfParent < firstOfChild, child.shardId() + " started before its parent " + parent + " was finished");
      }
    }
    assertTrue(delivered.stream().allMatch(d -> d.eventId().equals(d.shardId() + ":" + d.sequenceNumber())
        && d.eventSourceArn().equals("arn:aws:kinesis:us-east-1:000000000000:stream/" + stream)));
  }

  @Test
  void parallelizationFactorOneHandsAShardOverInOrderAcrossKeysAndMoreSplitsItByPartitionKey() {
    // "a" and "b" fall in different lanes of two (by the emulator's hash of the key), as keys do in Lambda
    String stream = stack.physicalName("LanesStream");
    List<PutRecordsRequestEntry> entries = IntStream.range(0, 40)
        .mapToObj(i -> PutRecordsRequestEntry.builder().partitionKey(i % 2 == 0 ? "a" : "b").data(SdkBytes.fromUtf8String("r" + i)).build())
        .toList();
    assertEquals(0, stack.kinesis().putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount());
    stack.awaitDrained(DRAIN);

    List<Batch> sequential = RecordingConsumer.batches("sequential");
    assertEquals(range("r", 40), sequential.stream().flatMap(b -> b.records().stream()).map(Delivery::data).toList(),
        "one lane: every record once, in the shard's order, across partition keys");

    List<Batch> lanes = RecordingConsumer.batches("lanes");
    assertTrue(lanes.stream().allMatch(b -> b.records().stream().map(Delivery::partitionKey).distinct().count() == 1),
        "two lanes: a batch holds one lane's keys only");
    Map<String, List<String>> byKey = lanes.stream().flatMap(b -> b.records().stream())
        .collect(Collectors.groupingBy(Delivery::partitionKey, Collectors.mapping(Delivery::data, Collectors.toList())));
    assertEquals(Map.of("a", range("r", 40).stream().filter(r -> Integer.parseInt(r.substring(1)) % 2 == 0).toList(),
        "b", range("r", 40).stream().filter(r -> Integer.parseInt(r.substring(1)) % 2 == 1).toList()), byKey,
        "each key's records once and in order");
  }

  private static void put(String streamLogicalId, String key, List<String> datas) {
    String stream = stack.physicalName(streamLogicalId);
    List<PutRecordsRequestEntry> entries = datas.stream()
        .map(d -> PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String(d)).build())
        .toList();
    assertEquals(0, stack.kinesis().putRecords(b -> b.streamName(stream).records(entries)).failedRecordCount());
  }

  private static List<String> range(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  private static List<List<String>> datas(List<Batch> batches) {
    return batches.stream().map(b -> b.records().stream().map(Delivery::data).toList()).toList();
  }

  private static List<String> failedRecordData(String function) throws Exception {
    Path dir = stack.failureDirectory().resolve("event-source").resolve(function);
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".data")).toList()) {
        out.add(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String invocationRecord(String function) throws Exception {
    Path dir = stack.failureDirectory().resolve("event-source").resolve(function);
    try (Stream<Path> files = Files.walk(dir)) {
      Path json = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      return Files.readString(json, StandardCharsets.UTF_8);
    }
  }
}
