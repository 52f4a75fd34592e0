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
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.state.DynamoDbDecisionStore;
import io.otelpipeline.core.sampling.state.DynamoDbTraceBuffer;
import io.otelpipeline.core.sampling.state.SamplerTables;
import io.otelpipeline.core.sampling.state.TraceDecision;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sampler over real DynamoDB Local state, with an exporter that records what it is given.
 * Time is the stream's: a batch's latest arrival; a tick in a batch moves it on as on an idle shard.
 */
class TraceSamplerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicLong SEQUENCE = new AtomicLong(1000);
  private static final String SHARD = "shardId-000000000000";

  private SamplerTables tables;
  private MutableClock clock;
  private RecordingExporter exporter;
  private List<String> failures;
  private ShardLineage lineage = ShardLineage.none();

  @BeforeEach
  void start() throws Exception {
    tables = SamplerTables.start();
    clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    exporter = new RecordingExporter();
    failures = new ArrayList<>();
  }

  @AfterEach
  void stop() throws Exception {
    tables.close();
  }

  private TraceSampler sampler(List<PolicyConfig> policies, Optional<Duration> afterRoot, int spanCap) {
    return sampler(new TailSamplingConfig(WAIT, afterRoot, false, spanCap, Duration.ofHours(1), policies, true, List.of()));
  }

  private TraceSampler sampler(TailSamplingConfig config) {
    return TraceSampler.create(
        config,
        new DynamoDbTraceBuffer(tables.client(), SamplerTables.BUFFER),
        new DynamoDbDecisionStore(tables.client(), SamplerTables.DECISIONS, config.decisionTtl(), clock),
        (streamArn, shardId) -> lineage.origin(streamArn, shardId),
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
            .setSpanId(ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0, 0, (byte) trace, (byte) spanNo}))
            .setName("op-" + spanNo)
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(2_000_000_000L);
    if (!root) {
      s.setParentSpanId(ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0, 0, (byte) trace, 0}));
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
  void tracesDueInTheBatchAreDecidedWithoutParking() {
    Instant old = clock.instant().minus(WAIT);
    BatchResult r =
        sampler()
            .handle(
                List.of(
                    record(old, span(1, 0, true, false), span(2, 0, true, false)),
                    record(old.plusSeconds(1), span(1, 1, false, true), span(2, 1, false, false)),
                    tick(clock.instant())));
    assertEquals(BatchResult.allHandled(), r);
    assertEquals(Map.of(TraceId.hex(traceId(1)), 2), exporter.spansPerTrace());
    assertEquals("keep-flag", exporter.policyOf(traceId(1)));
    assertEquals(0, tables.count(SamplerTables.BUFFER), "nothing parked");
    assertEquals(2, tables.count(SamplerTables.DECISIONS));
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
  void tracesNotYetDueAreParkedAndDecidedWholeOnceTheShardIsReadPastDecisionWait() {
    TraceSampler sampler = sampler();
    sampler.handle(List.of(record(clock.instant(), span(3, 0, true, false), span(4, 0, true, false))));
    clock.advance(Duration.ofSeconds(4));
    sampler.handle(List.of(record(clock.instant(), span(3, 1, false, true), span(3, 2, false, false))));
    assertEquals(0, exporter.spans.size());
    assertEquals(3, tables.count(SamplerTables.BUFFER));

    clock.advance(Duration.ofSeconds(5));
    sampler.handle(List.of(tick(clock.instant())));
    assertEquals(0, exporter.spans.size(), "not due before decision_wait has passed since the first span");

    clock.advance(Duration.ofSeconds(1));
    sampler.handle(List.of(tick(clock.instant())));
    assertEquals(Map.of(TraceId.hex(traceId(3)), 3), exporter.spansPerTrace(), "decided with every parked chunk");
    assertEquals(0, tables.count(SamplerTables.BUFFER));
    assertEquals(2, tables.count(SamplerTables.DECISIONS));
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
    assertEquals(0, tables.count(SamplerTables.BUFFER), "late spans are never parked");
    assertTrue(exporter.spans.stream().noneMatch(s -> s.getTraceId().equals(traceId(6))), "a late keep flag does not revive a dropped trace");
  }

  @Test
  void aRetryableExportFailureFailsFromTheFirstUnexportedRecordAndTheRetryExportsOnce() {
    TraceSampler sampler = sampler();
    Instant old = clock.instant().minus(WAIT);
    StreamRecord parkedOnly = record(clock.instant(), span(9, 0, true, true));
    StreamRecord kept = record(old, span(7, 0, true, true));
    StreamRecord dropped = record(old, span(8, 0, true, false));
    exporter.next = ExportResult.retryable("503 from backend");
    BatchResult r = sampler.handle(List.of(parkedOnly, dropped, kept));
    assertEquals(BatchResult.failedFrom(kept.sequenceNumber()), r);
    assertEquals(0, exporter.spans.size());

    assertEquals(BatchResult.allHandled(), sampler.handle(List.of(kept)));
    assertEquals(Map.of(TraceId.hex(traceId(7)), 1), exporter.spansPerTrace());
    assertEquals(BatchResult.allHandled(), sampler.handle(List.of(kept)));
    assertEquals(1, exporter.spans.size(), "a second redelivery finds the span exported");
  }

  @Test
  void anUndecodableRecordGoesToTheFailureDestinationAndTheRestFlows() {
    Instant old = clock.instant().minus(WAIT);
    StreamRecord junk = new StreamRecord("arn:traces", SHARD, "1", "pk", new byte[] {1, 2, 3}, old);
    BatchResult r = sampler().handle(List.of(junk, record(old, span(10, 0, true, true)), tick(clock.instant())));
    assertEquals(BatchResult.allHandled(), r);
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).contains(SHARD + "/1") && failures.get(0).contains("shorter than the 8-byte envelope header"), failures.get(0));
    assertEquals(1, exporter.spans.size());
  }

  @Test
  void twoInvocationsDecidingTheSameTraceAgree() {
    TraceSampler first = sampler(List.of(new PolicyConfig.AlwaysSample("all")), Optional.empty(), 10_000);
    TraceSampler second = sampler(List.of(new PolicyConfig.Probabilistic("none", 0, "s")), Optional.empty(), 10_000);
    Instant old = clock.instant().minus(WAIT);
    first.handle(List.of(record(old, span(11, 0, true, false)), tick(clock.instant())));
    second.handle(List.of(record(old, span(11, 1, false, false)), tick(clock.instant())));
    assertEquals(Map.of(TraceId.hex(traceId(11)), 2), exporter.spansPerTrace(), "the second follows the first's keep");
  }

  @Test
  void whileAnotherInvocationExportsATraceItsSpansHereWaitAndNoneIsExportedTwice() {
    TraceSampler sampler = sampler();
    DynamoDbDecisionStore other = new DynamoDbDecisionStore(tables.client(), SamplerTables.DECISIONS, Duration.ofHours(1), clock);
    Span root = span(20, 0, true, true);
    sampler.handle(List.of(record(clock.instant(), root)));
    other.record(TraceDecision.of(TraceId.hex(traceId(20)), true, "keep-flag", OptionalDouble.empty(), clock.instant()), "other");

    clock.advance(WAIT);
    BatchResult r = sampler.handle(List.of(record(clock.instant(), span(20, 1, false, false))));
    assertEquals(BatchResult.allHandled(), r, "this batch's spans are parked, not failed");
    assertEquals(0, exporter.spans.size(), "the other invocation holds the export claim");
    assertEquals(2, tables.count(SamplerTables.BUFFER));

    other.markExported(TraceId.hex(traceId(20)), List.of(TraceId.hex(root.getSpanId())), "other");
    sampler.handle(List.of(tick(clock.instant())));
    assertEquals(List.of(span(20, 1, false, false).getSpanId()), exporter.spans.stream().map(Span::getSpanId).toList(),
        "the root the other exported is not exported again");
    assertEquals(0, tables.count(SamplerTables.BUFFER));
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
  void aBacklogLargerThanOnePassDrainsInOneInvocationWhileTimeAllows() {
    TraceSampler sampler = sampler();
    int traces = TraceSampler.DUE_PER_PASS + 500;
    List<StreamRecord> records = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      records.add(record(clock.instant(), span(t, 0, true, false)));
    }
    sampler.handle(records);
    assertEquals(traces, tables.count(SamplerTables.BUFFER), "every trace parked");
    clock.advance(WAIT);

    sampler.handle(List.of(tick(clock.instant())), clock.instant().minusSeconds(1));
    assertEquals(500, tables.count(SamplerTables.BUFFER), "one pass of " + TraceSampler.DUE_PER_PASS + ", no time for a second");

    List<StreamRecord> more = new ArrayList<>();
    for (int t = traces; t < 2 * traces; t++) {
      more.add(record(clock.instant(), span(t, 0, true, false)));
    }
    sampler.handle(more);
    assertEquals(traces, tables.count(SamplerTables.BUFFER), "the batch decided the 500 left due and parked its own");
    clock.advance(WAIT);
    sampler.handle(List.of(tick(clock.instant())), clock.instant().plusSeconds(60));
    assertEquals(0, tables.count(SamplerTables.BUFFER), "passes follow one another while pages come back full: the whole backlog drained");
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
  }

  @Test
  void aLateInvocationDecidesInTheStreamsTimeNotItsOwn() {
    TraceSampler sampler = sampler();
    Instant first = clock.instant();
    clock.advance(Duration.ofHours(1));
    sampler.handle(List.of(record(first, span(40, 1, false, false)), record(first.plusMillis(1500), span(40, 0, true, false))));
    assertEquals(0, exporter.spans.size(), "an hour late by the clock, but the shard is read only 1.5 s past the first span");
    assertEquals(1, tables.count(SamplerTables.BUFFER), "both spans parked, as one chunk of the batch");

    sampler.handle(List.of(record(first.plusMillis(2500), span(40, 2, false, true)), tick(first.plus(WAIT))));
    assertEquals(Map.of(TraceId.hex(traceId(40)), 3), exporter.spansPerTrace(), "decided with every span that arrived within decision_wait");
    assertEquals("keep-flag", exporter.policyOf(traceId(40)));
  }

  @Test
  void aShardsParkedTracesAreDecidedInItsTimeOrInItsChildrensAfterAReshard() {
    String parent = "shardId-000000000000";
    String child = "shardId-000000000002";
    String other = "shardId-000000000001";
    lineage = (streamArn, shardId) -> new ShardLineage.Origin(ShardLineage.none().origin(streamArn, shardId).range(), shardId.equals(child) ? List.of(parent) : List.of());
    TraceSampler sampler = sampler();
    sampler.handle(List.of(record(parent, clock.instant(), span(41, 0, true, true))));

    sampler.handle(List.of(tick(other, clock.instant().plus(WAIT))));
    assertEquals(0, exporter.spans.size(), "another shard's time does not decide this shard's traces");

    sampler.handle(List.of(tick(child, clock.instant().plus(WAIT))));
    assertEquals(Map.of(TraceId.hex(traceId(41)), 1), exporter.spansPerTrace(), "the child carries on with its parent's parked trace");
    assertEquals(0, tables.count(SamplerTables.BUFFER));
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
