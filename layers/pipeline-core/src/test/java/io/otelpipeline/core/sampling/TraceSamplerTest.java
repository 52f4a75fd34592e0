package io.otelpipeline.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.HashKey;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.state.SamplerState;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalShardStates;
import io.otelpipeline.core.testing.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sampler over real shard states (S3Proxy behind a DynamoDB Local fence), with an exporter
 * that records what it is given. Time is the stream's: each record's arrival; a tick moves an idle
 * shard's time on. Each test keeps its states under a consumer name of its own.
 */
class TraceSamplerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicLong SEQUENCE = new AtomicLong(1000);
  private static final String SHARD = "shardId-000000000000";
  private static LocalShardStates stores;

  private String consumer;
  private MutableClock clock;
  private RecordingExporter exporter;
  private List<String> failures;
  private List<String> ticked;
  private ShardLineage lineage = ShardLineage.none();

  @BeforeAll
  static void startStores() {
    stores = LocalShardStates.start();
  }

  @AfterAll
  static void stopStores() {
    stores.close();
  }

  @BeforeEach
  void start() {
    consumer = "sampler-" + UUID.randomUUID();
    clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    exporter = new RecordingExporter();
    failures = new ArrayList<>();
    ticked = new ArrayList<>();
  }

  /** The shard states as another container would see them: nothing warm. */
  private ShardStates<SamplerState> states() {
    return new ShardStates<>(stores.store(consumer), TraceSampler.stateCodec());
  }

  private SamplerState saved(String shardId) {
    return states().peek(shardId).orElseThrow(() -> new AssertionError("no state saved for " + shardId));
  }

  private TraceSampler sampler(List<PolicyConfig> policies, Optional<Duration> afterRoot, int spanCap) {
    return sampler(new TailSamplingConfig(WAIT, afterRoot, false, spanCap, Duration.ofHours(1), policies, true, List.of()));
  }

  private TraceSampler sampler(TailSamplingConfig config) {
    return TraceSampler.create(
        config,
        states(),
        lineage,
        (streamArn, shard) -> ticked.add(shard.shardId()),
        exporter,
        (record, reason) -> {
          failures.add(reason);
          return "failure-" + failures.size();
        },
        Telemetry.noop(),
        clock);
  }

  private TraceSampler sampler() {
    return sampler(
        List.of(
            new PolicyConfig.BooleanAttribute("keep-flag", "keep", true, false),
            new PolicyConfig.StatusCode("errors", List.of("ERROR"))),
        Optional.empty(),
        10_000);
  }

  private static ByteString traceId(int n) {
    byte[] b = new byte[16];
    b[0] = 7;
    b[15] = (byte) n;
    b[14] = (byte) (n >> 8);
    return ByteString.copyFrom(b);
  }

  private static Span span(int trace, int spanNo, boolean root, boolean keepFlag) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(traceId(trace))
            .setSpanId(ByteString.copyFrom(new byte[] {1, 0, 0, 0, (byte) (trace >> 8), 0, (byte) trace, (byte) spanNo}))
            .setName("op-" + spanNo)
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(2_000_000_000L);
    if (!root) {
      s.setParentSpanId(ByteString.copyFrom(new byte[] {1, 0, 0, 0, (byte) (trace >> 8), 0, (byte) trace, 0}));
    }
    if (keepFlag) {
      s.addAttributes(KeyValue.newBuilder().setKey("keep").setValue(AnyValue.newBuilder().setBoolValue(true)));
    }
    return s.build();
  }

  private static StreamRecord record(Instant arrival, Span... spans) {
    return record(SHARD, arrival, spans);
  }

  private static StreamRecord tick(Instant arrival) {
    return tick(SHARD, arrival);
  }

  private static StreamRecord tick(String shardId, Instant arrival) {
    return new StreamRecord("arn:traces", shardId, Long.toString(SEQUENCE.incrementAndGet()), Tick.PARTITION_KEY, Tick.record(), arrival);
  }

  private static StreamRecord record(String shardId, Instant arrival, Span... spans) {
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("svc"))))
                    .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
            .build();
    byte[] data = RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, spans.length, request.toByteArray()).toBytes();
    return new StreamRecord("arn:traces", shardId, Long.toString(SEQUENCE.incrementAndGet()), "pk", data, arrival);
  }

  @Test
  void tracesDueWithinTheBatchAreDecidedAndNothingWaits() {
    Instant old = clock.instant().minus(WAIT);
    BatchResult r =
        sampler()
            .handle(
                List.of(
                    record(old, span(1, 0, true, false), span(2, 0, true, false)),
                    record(old.plusSeconds(1), span(1, 1, false, true), span(2, 1, false, false)),
                    tick(clock.instant().plusSeconds(1))));
    assertEquals(BatchResult.allHandled(), r);
    assertEquals(Map.of(TraceId.hex(traceId(1)), 2), exporter.spansPerTrace());
    assertEquals("keep-flag", exporter.policyOf(traceId(1)));
    SamplerState state = saved(SHARD);
    assertEquals(0, state.undecided().size(), "nothing waits");
    assertEquals(2, state.decisions().size(), "both decisions remembered for late spans");
    assertEquals(0, state.outbox().size());
    assertEquals(List.of(), ticked, "no trace waits, so the shard is not ticked");
  }

  @Test
  void theDecidingPolicyIsRecordedOnTheScopeOnlyWhenAsked() {
    Instant old = clock.instant().minus(WAIT);
    TailSamplingConfig quiet = new TailSamplingConfig(WAIT, Optional.empty(), false, 10_000, Duration.ofHours(1),
        List.of(new PolicyConfig.BooleanAttribute("keep-flag", "keep", true, false)), false, List.of());
    sampler(quiet).handle(List.of(record(old, span(1, 0, true, true)), tick(clock.instant())));
    assertEquals(Map.of(TraceId.hex(traceId(1)), 1), exporter.spansPerTrace());
    assertEquals(Map.of(), exporter.scopeAttributes.get(traceId(1)), "no policy on the scope");
    assertTrue(exporter.spans.get(0).getAttributesList().stream().noneMatch(kv -> kv.getKey().startsWith("tailsampling.")),
        "nor on the span");
  }

  @Test
  void aCompositeKeepRecordsItsSubPolicyAsTheCollectorDoes() {
    Instant old = clock.instant().minus(WAIT);
    PolicyConfig.Composite composite =
        new PolicyConfig.Composite("budget", 1000, List.of(), List.of(new PolicyConfig.BooleanAttribute("flagged", "keep", true, false)),
            List.of(new PolicyConfig.RateAllocation("flagged", 100)));
    sampler(List.of(composite), Optional.empty(), 10_000).handle(List.of(record(old, span(1, 0, true, true)), tick(clock.instant())));
    assertEquals(Map.of(TraceSampler.POLICY_ATTRIBUTE, "budget", TraceSampler.COMPOSITE_POLICY_ATTRIBUTE, "flagged"),
        exporter.scopeAttributes.get(traceId(1)));
  }

  @Test
  void tracesNotYetDueWaitInTheShardsStateAndAreDecidedWholeOnceTheShardIsReadPastDecisionWait() {
    TraceSampler sampler = sampler();
    sampler.handle(List.of(record(clock.instant(), span(3, 0, true, false), span(4, 0, true, false))));
    assertEquals(List.of(SHARD), ticked, "traces wait, so the sampler ticks its own shard");
    clock.advance(Duration.ofSeconds(4));
    sampler.handle(List.of(record(clock.instant(), span(3, 1, false, true), span(3, 2, false, false))));
    assertEquals(0, exporter.spans.size());
    assertEquals(2, saved(SHARD).undecided().size());

    clock.advance(Duration.ofSeconds(5));
    sampler.handle(List.of(tick(clock.instant())));
    assertEquals(0, exporter.spans.size(), "not due before decision_wait has passed since the first span");

    clock.advance(Duration.ofSeconds(1));
    sampler.handle(List.of(tick(clock.instant())));
    assertEquals(Map.of(TraceId.hex(traceId(3)), 3), exporter.spansPerTrace(), "decided with every span that waited");
    assertEquals(0, saved(SHARD).undecided().size());
    assertEquals(2, saved(SHARD).decisions().size());
  }

  @Test
  void aSpanThatArrivesAfterItsTracesDueTimeIsLateEvenInTheSameBatch() {
    Instant first = clock.instant();
    sampler().handle(List.of(
        record(first, span(50, 0, true, false)),
        record(first.plus(WAIT).plusMillis(1), span(50, 1, false, true)),
        tick(first.plus(WAIT).plusSeconds(1))));
    assertEquals(Map.of(), exporter.spansPerTrace(),
        "decided on the root alone, as the Collector would: the keep flag came after decision_wait and follows the drop");
  }

  @Test
  void lateSpansFollowTheDecisionAndDuplicatesAreExportedOnce() {
    TraceSampler sampler = sampler();
    Instant old = clock.instant().minus(WAIT);
    sampler.handle(List.of(record(old, span(5, 0, true, true), span(6, 0, true, false)), tick(clock.instant())));
    assertEquals(1, exporter.spans.size());

    clock.advance(Duration.ofSeconds(30));
    sampler.handle(
        List.of(
            record(clock.instant(), span(5, 0, true, true), span(5, 1, false, false), span(6, 1, false, true)),
            record(clock.instant(), span(5, 1, false, false))));
    assertEquals(Map.of(TraceId.hex(traceId(5)), 2), exporter.spansPerTrace(), "late span kept once, duplicate root not re-exported");
    assertEquals(0, saved(SHARD).undecided().size(), "late spans never wait");
    assertTrue(exporter.spans.stream().noneMatch(s -> s.getTraceId().equals(traceId(6))), "a late keep flag does not revive a dropped trace");
  }

  @Test
  void aBackendOutageHoldsTheShardAndTheRetryExportsTheKeptSpansOnce() {
    TraceSampler sampler = sampler();
    Instant old = clock.instant().minus(WAIT);
    StreamRecord waiting = record(clock.instant(), span(9, 0, true, true));
    StreamRecord dropped = record(old, span(8, 0, true, false));
    StreamRecord kept = record(old, span(7, 0, true, true));
    List<StreamRecord> batch = List.of(dropped, kept, waiting);
    exporter.next = ExportResult.retryable("503 from backend");
    BatchResult r = sampler.handle(batch);
    assertEquals(BatchResult.failedFrom(waiting.sequenceNumber()), r, "the shard stays at its last record until the backend takes the kept spans");
    assertEquals(0, exporter.spans.size());
    assertEquals(1, saved(SHARD).outbox().size(), "the kept trace waits in the state's outbox, saved");

    assertEquals(BatchResult.allHandled(), sampler.handle(List.of(waiting)), "Lambda retries from the failed record");
    assertEquals(Map.of(TraceId.hex(traceId(7)), 1), exporter.spansPerTrace());
    assertEquals(BatchResult.allHandled(), sampler.handle(batch), "a redelivery of the whole batch");
    assertEquals(1, exporter.spans.size(), "nothing is taken in or exported twice");
    assertEquals(1, saved(SHARD).undecided().size(), "the trace not yet due still waits");
  }

  @Test
  void anInvocationThatDiesAfterItsSaveAndBeforeTheCheckpointIsRetriedWithNothingTwice() {
    Instant old = clock.instant().minus(WAIT);
    List<StreamRecord> batch = List.of(record(old, span(60, 0, true, true)), record(clock.instant(), span(61, 0, true, false)), tick(clock.instant()));
    assertEquals(BatchResult.allHandled(), sampler().handle(batch));
    // the container is gone: Lambda retries the batch on a new one, which reads the saved state
    assertEquals(BatchResult.allHandled(), sampler().handle(batch));
    assertEquals(Map.of(TraceId.hex(traceId(60)), 1), exporter.spansPerTrace());
    assertEquals(1, saved(SHARD).undecided().size(), "trace 61 waits once, not twice");
  }

  @Test
  void aSecondInvocationForTheSameShardCannotForkTheState() {
    TraceSampler here = sampler();
    TraceSampler there = sampler();
    here.handle(List.of(record(clock.instant(), span(70, 0, true, true))));
    // both containers hold the same version; "there" saves first
    StreamRecord next = record(clock.instant().plus(WAIT), span(70, 1, false, false));
    assertEquals(BatchResult.allHandled(), there.handle(List.of(next)));
    assertEquals(Map.of(TraceId.hex(traceId(70)), 2), exporter.spansPerTrace());

    assertEquals(BatchResult.allHandled(), here.handle(List.of(next)), "the warm container sees the fence moved and reads the newer state");
    assertEquals(2, exporter.spans.size(), "nothing exported twice");
  }

  @Test
  void anUndecodableRecordGoesToTheFailureDestinationAndTheRestFlows() {
    Instant old = clock.instant().minus(WAIT);
    StreamRecord junk = new StreamRecord("arn:traces", SHARD, Long.toString(SEQUENCE.incrementAndGet()), "pk", new byte[] {1, 2, 3}, old);
    BatchResult r = sampler().handle(List.of(junk, record(old, span(10, 0, true, true)), tick(clock.instant())));
    assertEquals(BatchResult.allHandled(), r);
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).contains(SHARD + "/" + junk.sequenceNumber()) && failures.get(0).contains("shorter than the 8-byte envelope header"),
        failures.get(0));
    assertEquals(1, exporter.spans.size());
  }

  @Test
  void theRootRuleAndTheSpanCapDecideEarly() {
    TraceSampler sampler = sampler(List.of(new PolicyConfig.AlwaysSample("all")), Optional.of(Duration.ofSeconds(1)), 3);
    sampler.handle(List.of(record(clock.instant(), span(12, 1, false, false))));
    clock.advance(Duration.ofSeconds(2));
    sampler.handle(List.of(record(clock.instant().minusSeconds(1), span(12, 0, true, false)), record(clock.instant(), span(13, 1, false, false), span(13, 2, false, false), span(13, 3, false, false))));
    assertEquals(Map.of(TraceId.hex(traceId(12)), 2, TraceId.hex(traceId(13)), 3), exporter.spansPerTrace());
  }

  @Test
  void probabilisticKeepsCarryTheThresholdRaisedNeverLowered() {
    TraceSampler sampler = sampler(List.of(new PolicyConfig.Probabilistic("all-of-them", 100, "s")), Optional.empty(), 10_000);
    Span withThreshold = span(14, 1, false, false).toBuilder().setTraceState("ot=th:8;rv:abcdef,vendor=x").build();
    sampler.handle(List.of(record(clock.instant().minus(WAIT), span(14, 0, true, false), withThreshold), tick(clock.instant())));
    Map<ByteString, String> states = new HashMap<>();
    exporter.spans.forEach(s -> states.put(s.getSpanId(), s.getTraceState()));
    assertEquals("ot=th:0", states.get(span(14, 0, true, false).getSpanId()));
    assertEquals("ot=th:8;rv:abcdef,vendor=x", states.get(withThreshold.getSpanId()));
  }

  @Test
  void aBacklogOfWaitingTracesIsDecidedInOneInvocation() {
    TraceSampler sampler = sampler(List.of(new PolicyConfig.AlwaysSample("all")), Optional.empty(), 10_000);
    int traces = 6_000;
    List<StreamRecord> records = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      records.add(record(clock.instant(), span(t, 0, true, false)));
    }
    sampler.handle(records);
    assertEquals(traces, saved(SHARD).undecided().size(), "every trace waits");
    clock.advance(WAIT);

    sampler.handle(List.of(tick(clock.instant())));
    assertEquals(traces, exporter.spansPerTrace().size(), "all decided and exported by one tick");
    assertEquals(0, saved(SHARD).undecided().size());
  }

  @Test
  void eachPermanentRefusalOfKeptSpansIsKeptUnderItsOwnNameWithItsReason() {
    TraceSampler sampler = sampler();
    Instant old = clock.instant().minus(WAIT);
    exporter.next = ExportResult.permanent("HTTP 400 from backend: bad span");
    assertEquals(BatchResult.allHandled(), sampler.handle(List.of(record(old, span(30, 0, true, true)), tick(clock.instant()))));
    exporter.next = ExportResult.permanent("HTTP 400 from backend: bad span");
    assertEquals(BatchResult.allHandled(), sampler.handle(List.of(record(old, span(31, 0, true, true)), tick(clock.instant()))));

    assertEquals(2, failures.size(), "two refusals, two entries: " + failures);
    assertTrue(failures.get(0).contains("refused 1 kept spans of 1 traces for good: HTTP 400 from backend: bad span"), failures.get(0));
    assertEquals(0, exporter.spans.size());
    assertEquals(0, saved(SHARD).outbox().size(), "what the backend refuses for good does not hold the shard");
  }

  @Test
  void aLateInvocationDecidesInTheStreamsTimeNotItsOwn() {
    TraceSampler sampler = sampler();
    Instant first = clock.instant();
    clock.advance(Duration.ofHours(1));
    sampler.handle(List.of(record(first, span(40, 1, false, false)), record(first.plusMillis(1500), span(40, 0, true, false))));
    assertEquals(0, exporter.spans.size(), "an hour late by the clock, but the shard is read only 1.5 s past the first span");
    assertEquals(1, saved(SHARD).undecided().size());

    sampler.handle(List.of(record(first.plusMillis(2500), span(40, 2, false, true)), tick(first.plus(WAIT))));
    assertEquals(Map.of(TraceId.hex(traceId(40)), 3), exporter.spansPerTrace(), "decided with every span that arrived within decision_wait");
    assertEquals("keep-flag", exporter.policyOf(traceId(40)));
  }

  @Test
  void theChildrenOfASplitEachCarryOnWithTheWaitingTracesThatHashIntoThem() {
    String parent = "shardId-000000000000";
    String low = "shardId-000000000001";
    String high = "shardId-000000000002";
    BigInteger middle = ShardMap.MAX_HASH_KEY.shiftRight(1);
    lineage = (streamArn, shardId) -> switch (shardId) {
      case "shardId-000000000001" -> new ShardLineage.Origin(new ShardMap.ShardRange(low, BigInteger.ZERO, middle), List.of(parent));
      case "shardId-000000000002" -> new ShardLineage.Origin(new ShardMap.ShardRange(high, middle.add(BigInteger.ONE), ShardMap.MAX_HASH_KEY), List.of(parent));
      default -> ShardLineage.none().origin(streamArn, shardId);
    };
    TraceSampler sampler = sampler(List.of(new PolicyConfig.AlwaysSample("all")), Optional.empty(), 10_000);
    List<StreamRecord> spans = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      spans.add(record(parent, clock.instant(), span(t, 0, true, false)));
    }
    sampler.handle(spans);
    assertEquals(40, saved(parent).undecided().size());

    sampler.handle(List.of(tick(low, clock.instant().plus(WAIT))));
    sampler.handle(List.of(tick(high, clock.instant().plus(WAIT))));
    Map<String, Integer> exported = exporter.spansPerTrace();
    assertEquals(40, exported.size(), "every waiting trace decided by one child or the other");
    assertTrue(exported.values().stream().allMatch(n -> n == 1), "none by both: " + exported);
    assertTrue(saved(low).decisions().size() > 0 && saved(high).decisions().size() > 0, "both children took a share");
    assertEquals(40, saved(low).decisions().size() + saved(high).decisions().size());
  }

  @Test
  void spansOfTracesThatHashIntoAnotherShardAreLeftToThatShard() {
    BigInteger middle = ShardMap.MAX_HASH_KEY.shiftRight(1);
    lineage = (streamArn, shardId) -> new ShardLineage.Origin(new ShardMap.ShardRange(shardId, BigInteger.ZERO, middle), List.of());
    List<Span> roots = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      roots.add(span(t, 0, true, false));
    }
    sampler(List.of(new PolicyConfig.AlwaysSample("all")), Optional.empty(), 10_000)
        .handle(List.of(record(clock.instant().minus(WAIT), roots.toArray(Span[]::new)), tick(clock.instant())));
    Map<String, Integer> exported = exporter.spansPerTrace();
    assertTrue(!exported.isEmpty() && exported.size() < 20, "some of the 20 traces hash into this shard, not all: " + exported.size());
    for (String trace : exported.keySet()) {
      assertTrue(HashKey.ofPartitionKey(trace).compareTo(middle) <= 0, trace + " is not this shard's");
    }
  }

  @Test
  void anotherShardsTimeDoesNotDecideThisShardsTraces() {
    TraceSampler sampler = sampler();
    sampler.handle(List.of(record(SHARD, clock.instant(), span(41, 0, true, true))));
    sampler.handle(List.of(tick("shardId-000000000009", clock.instant().plus(WAIT))));
    assertEquals(0, exporter.spans.size());
    sampler.handle(List.of(tick(SHARD, clock.instant().plus(WAIT))));
    assertEquals(Map.of(TraceId.hex(traceId(41)), 1), exporter.spansPerTrace());
  }

  /** Records exported spans and the policy attributes of their scope; answers with {@link #next} once, then success. */
  static final class RecordingExporter implements SignalExporter {
    final List<Span> spans = new ArrayList<>();
    final Map<ByteString, Map<String, String>> scopeAttributes = new HashMap<>();
    ExportResult next;

    @Override
    public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
      if (next != null) {
        ExportResult r = next;
        next = null;
        return r;
      }
      try {
        ExportTraceServiceRequest.parseFrom(otlpRequest)
            .getResourceSpansList()
            .forEach(rs -> rs.getScopeSpansList().forEach(ss -> {
              spans.addAll(ss.getSpansList());
              Map<String, String> attributes = new HashMap<>();
              ss.getScope().getAttributesList().forEach(kv -> attributes.put(kv.getKey(), kv.getValue().getStringValue()));
              ss.getSpansList().forEach(span -> scopeAttributes.put(span.getTraceId(), attributes));
            }));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
      return ExportResult.success();
    }

    Map<String, Integer> spansPerTrace() {
      Map<String, Integer> out = new HashMap<>();
      spans.forEach(s -> out.merge(TraceId.hex(s.getTraceId()), 1, Integer::sum));
      return out;
    }

    String policyOf(ByteString traceId) {
      return scopeAttributes.getOrDefault(traceId, Map.of()).get(TraceSampler.POLICY_ATTRIBUTE);
    }
  }
}
