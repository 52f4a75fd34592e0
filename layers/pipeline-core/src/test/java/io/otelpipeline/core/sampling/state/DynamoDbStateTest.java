package io.otelpipeline.core.sampling.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DynamoDB adapters against DynamoDB Local with the template's table definitions. */
class DynamoDbStateTest {
  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final String SHARD = "shardId-000000000000";
  private static SamplerTables tables;
  private static DynamoDbDecisionStore decisions;
  private static DynamoDbTraceBuffer buffer;

  @BeforeAll
  static void start() throws Exception {
    tables = SamplerTables.start();
    decisions = new DynamoDbDecisionStore(tables.client(), SamplerTables.DECISIONS, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
    buffer = new DynamoDbTraceBuffer(tables.client(), SamplerTables.BUFFER);
  }

  @AfterAll
  static void stop() throws Exception {
    tables.close();
  }

  private static String id(String prefix, int n) {
    return prefix + String.format("%0" + (32 - prefix.length()) + "x", n);
  }

  @Test
  void theFirstDecisionHoldsAndTheLoserGetsIt() {
    String trace = id("a1", 1);
    TraceDecision first = TraceDecision.of(trace, true, "errors", OptionalDouble.empty(), NOW);
    TraceDecision held = first.claimedBy(new ExportClaim("first", NOW.plus(DynamoDbDecisionStore.EXPORT_CLAIM)));
    assertEquals(held, decisions.record(first, "first"), "a kept decision recorded holds the export claim");
    TraceDecision second = TraceDecision.of(trace, false, "no_policy_matched", OptionalDouble.empty(), NOW.plusSeconds(5));
    assertEquals(held, decisions.record(second, "second"));
    assertEquals(Map.of(trace, held), decisions.find(List.of(trace, id("a1", 2))));
  }

  @Test
  void concurrentDecidersAllFollowOneDecision() throws Exception {
    String trace = id("a2", 1);
    int deciders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(deciders);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<TraceDecision>> results = new ArrayList<>();
    for (int i = 0; i < deciders; i++) {
      boolean keep = i % 2 == 0;
      String policy = "policy-" + i;
      Callable<TraceDecision> decide =
          () -> {
            go.await();
            return decisions.record(TraceDecision.of(trace, keep, policy, OptionalDouble.of(0.5), NOW), policy);
          };
      results.add(pool.submit(decide));
    }
    go.countDown();
    Set<TraceDecision> seen = new HashSet<>();
    for (Future<TraceDecision> f : results) {
      seen.add(f.get());
    }
    pool.shutdown();
    assertEquals(1, seen.size(), "every decider returns the same decision: " + seen);
    assertEquals(seen.iterator().next(), decisions.find(List.of(trace)).get(trace));
  }

  @Test
  void exportedSpansAccumulateAndManyTracesAreFoundInBatches() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 230; i++) {
      String trace = id("a3", i);
      ids.add(trace);
      decisions.record(TraceDecision.of(trace, true, "p", OptionalDouble.of(0.25), NOW), "decider");
    }
    decisions.markExported(ids.get(7), List.of("0000000000000001", "0000000000000002"), "decider");
    decisions.markExported(ids.get(7), List.of("0000000000000002", "0000000000000003"), "late");
    Map<String, TraceDecision> found = decisions.find(ids);
    assertEquals(230, found.size());
    assertEquals(Set.of("0000000000000001", "0000000000000002", "0000000000000003"), found.get(ids.get(7)).exportedSpanIds());
    assertEquals(OptionalDouble.of(0.25), found.get(ids.get(0)).probability());
  }

  @Test
  void oneInvocationAtATimeHoldsTheExportClaimAndAClaimLapses() {
    String trace = id("a4", 1);
    String span = "00000000000000a1";
    decisions.record(TraceDecision.of(trace, true, "errors", OptionalDouble.empty(), NOW), "decider");
    assertEquals(Optional.empty(), decisions.claimExport(trace, "late"), "the decider holds it while it exports");

    decisions.markExported(trace, List.of(span), "decider");
    TraceDecision claimed = decisions.claimExport(trace, "late").orElseThrow();
    assertEquals(Set.of(span), claimed.exportedSpanIds(), "the claim reads what the decider exported");
    assertTrue(claimed.isClaimedBy("late"));
    assertEquals(Optional.empty(), decisions.claimExport(trace, "another"));

    decisions.release(trace, "late");
    decisions.release(trace, "not-the-holder");
    assertTrue(decisions.claimExport(trace, "another").isPresent(), "let go after a failed export");

    DynamoDbDecisionStore later =
        new DynamoDbDecisionStore(tables.client(), SamplerTables.DECISIONS, Duration.ofHours(1),
            Clock.fixed(NOW.plus(DynamoDbDecisionStore.EXPORT_CLAIM).plusSeconds(1), ZoneOffset.UTC));
    assertTrue(later.claimExport(trace, "after-a-crash").isPresent(), "a claim whose holder died lapses");
    later.markExported(trace, List.of("00000000000000a2"), "another");
    assertEquals(Set.of(span, "00000000000000a2"), decisions.find(List.of(trace)).get(trace).exportedSpanIds(),
        "a holder that outlived its claim still records what it exported");
    assertTrue(decisions.find(List.of(trace)).get(trace).isClaimedBy("after-a-crash"), "and leaves the new holder's claim alone");
  }

  @Test
  void parkedChunksAreFoundWhenDueInTheirShardLoadedWholeAndRemoved() {
    List<ParkedChunk> chunks = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      for (int c = 0; c < 2; c++) {
        Instant due = t < 10 ? NOW.minusSeconds(1) : NOW.plusSeconds(30);
        chunks.add(new ParkedChunk(id("b1", t), "shard-0:" + c, SHARD, due, 3, new byte[] {(byte) t, (byte) c, 42}));
      }
    }
    buffer.park(chunks);
    buffer.park(chunks.subList(0, 2));
    buffer.park(List.of(new ParkedChunk(id("b2", 0), "shard-1:0", "shardId-000000000001", NOW.minusSeconds(1), 1, new byte[] {1})));

    List<String> due = buffer.due(List.of(SHARD), NOW, 1000);
    assertEquals(Set.copyOf(chunks.subList(0, 20).stream().map(ParkedChunk::traceId).toList()), Set.copyOf(due));

    List<ParkedChunk> loaded = buffer.load(id("b1", 3));
    assertEquals(2, loaded.size(), "parking the same chunk again overwrites it");
    assertArrayEquals(new byte[] {3, 1, 42}, loaded.get(1).otlpRequest());
    assertEquals(NOW.minusSeconds(1), loaded.get(0).dueAt());

    buffer.remove(loaded);
    assertTrue(buffer.load(id("b1", 3)).isEmpty());
    assertEquals(9, Set.copyOf(buffer.due(List.of(SHARD), NOW, 1000)).size());
    assertEquals(20, Set.copyOf(buffer.due(List.of(SHARD), NOW.plusSeconds(60), 1000)).size() + 1);
    assertEquals(List.of(id("b2", 0)), buffer.due(List.of("shardId-000000000001"), NOW, 1000), "each shard's own, in its own time");
    assertEquals(10, Set.copyOf(buffer.due(List.of(SHARD, "shardId-000000000001"), NOW, 1000)).size(), "a child reads its parents' too");
  }

  @Test
  void aShardIdThatIsNotKinesisShapedIsNamed() {
    ParkedChunk odd = new ParkedChunk(id("b3", 0), "c", "shard-x", NOW, 1, new byte[] {1});
    assertEquals("shard id 'shard-x' does not end in a number, as Kinesis shard ids (shardId-000000000012) do",
        assertThrows(IllegalArgumentException.class, () -> buffer.park(List.of(odd))).getMessage());
  }
}
