package io.otelpipeline.core.sampling;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.consume.TraceRecordReader;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.policy.PolicyDecision;
import io.otelpipeline.core.sampling.policy.SamplingPolicies;
import io.otelpipeline.core.sampling.state.DecisionStore;
import io.otelpipeline.core.sampling.state.ParkedChunk;
import io.otelpipeline.core.sampling.state.TraceBuffer;
import io.otelpipeline.core.sampling.state.TraceDecision;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tail sampling over a batch of trace-stream records, with whole-trace decisions that hold across
 * batches, invocations and shards.
 *
 * <p>Time is the stream's own: a batch comes from one shard, read in order (ParallelizationFactor
 * 1), and the shard has been read up to the latest arrival timestamp in the batch. A trace is due
 * once the shard has been read {@code decision_wait} past its first span's arrival, so it is
 * decided with every span that reached the shard by then, however late the invocation runs, and
 * a retried batch meets the same time. {@link io.otelpipeline.core.record.Tick Ticks} move an
 * idle shard's time on.
 *
 * <ol>
 *   <li>Records are decoded and their spans grouped by trace; a span id seen twice counts once.
 *   <li>Parked traces of this shard, and of the shards it descends from after a reshard, that are
 *       due in this shard's time are loaded and joined with this batch's spans of them.
 *   <li>Recorded decisions are looked up for every trace in hand: spans of decided traces follow
 *       the decision at once (kept unless already exported).
 *   <li>Undecided traces that are due ({@code decision_wait} after their first span arrived,
 *       {@code decision_wait_after_root_received} after their root, or past the span cap) are
 *       decided; the decision is recorded with a conditional write and whichever decision holds
 *       is followed. The others are parked.
 *   <li>Spans of a kept trace are exported under the trace's export claim: the invocation that
 *       records a keep holds it; any other (one that found the same parked chunks due, or late
 *       spans) claims it first. Without the claim, this batch's spans of the trace are parked,
 *       due at once, and the parked ones left where they are, for a later pass.
 *   <li>Kept spans are exported, marked exported (which lets go of the claim), and their parked
 *       chunks removed. A retryable export failure lets go of the claims and fails the batch from
 *       the lowest record whose spans were not exported; the decisions stand, so the retry
 *       follows them.
 * </ol>
 */
public final class TraceSampler {
  /** The scope attribute naming the policy that kept the trace, as the Collector names it. */
  public static final String POLICY_ATTRIBUTE = "tailsampling.policy";
  /** The scope attribute naming a composite policy's sub-policy that kept the trace, as the Collector names it. */
  public static final String COMPOSITE_POLICY_ATTRIBUTE = "tailsampling.composite_policy";
  /**
   * Due parked traces one pass loads. While a pass finds a full page due and makes progress, the
   * invocation makes another, as long as its deadline leaves time for one more, so a backlog drains
   * at the rate the consumer can process it.
   */
  public static final int DUE_PER_PASS = 2_000;
  /** Spans per parked chunk item, which keeps compressed items far below DynamoDB's 400 KB. */
  static final int SPANS_PER_CHUNK = 1_000;
  /** Spans per export request. */
  static final int SPANS_PER_EXPORT = 5_000;

  static final String METRIC_TRACES_SAMPLED = "otelcol_processor_tail_sampling_count_traces_sampled";
  static final String METRIC_SPANS_SAMPLED = "otelcol_processor_tail_sampling_count_spans_sampled";
  static final String METRIC_LATE_SPAN_AGE = "otelcol_processor_tail_sampling_sampling_late_span_age";
  static final String METRIC_TRACES_PARKED_GAUGE = "otelcol_processor_tail_sampling_sampling_traces_on_memory";
  static final String METRIC_DECISION_LATENCY = "otelcol_processor_tail_sampling_sampling_decision_latency";
  static final String METRIC_PARKED = "otelpipeline_tail_sampling_traces_parked";
  static final String METRIC_DECIDED = "otelpipeline_tail_sampling_traces_decided";
  static final String METRIC_DUPLICATES = "otelpipeline_tail_sampling_spans_duplicate";
  static final String METRIC_UNDECODABLE = "otelpipeline_tail_sampling_records_undecodable";

  private final TailSamplingConfig config;
  private final SamplingPolicies policies;
  private final TraceBuffer buffer;
  private final DecisionStore decisions;
  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final TraceRecordReader reader;
  private final ShardLineage lineage;
  private final Telemetry telemetry;
  private final Clock clock;

  private TraceSampler(
      TailSamplingConfig config,
      SamplingPolicies policies,
      TraceBuffer buffer,
      DecisionStore decisions,
      ShardLineage lineage,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    this.config = config;
    this.policies = policies;
    this.buffer = buffer;
    this.decisions = decisions;
    this.lineage = lineage;
    this.exporter = exporter;
    this.failures = failures;
    this.reader = new TraceRecordReader(failures, "trace-sampler");
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /** {@code clock} is the wall clock of export deadlines and decision expiry; decisions themselves follow the stream's time. */
  public static TraceSampler create(
      TailSamplingConfig config,
      TraceBuffer buffer,
      DecisionStore decisions,
      ShardLineage lineage,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    return new TraceSampler(config, SamplingPolicies.create(config, clock), buffer, decisions, lineage, exporter, failures, telemetry, clock);
  }

  /** Handles one batch of records from the traces stream, with no deadline but the exporter's retry budget. */
  public BatchResult handle(List<StreamRecord> records) {
    return handle(records, Instant.MAX);
  }

  /**
   * Handles one batch of records from the traces stream; exports wait out a backend outage (the
   * circuit breaker's cool-down) only until {@code deadline}, and due parked traces are drained
   * while time allows.
   */
  public BatchResult handle(List<StreamRecord> records, Instant deadline) {
    if (records.isEmpty()) {
      return BatchResult.allHandled();
    }
    Map<String, PendingTrace> traces = new LinkedHashMap<>();
    for (int i = 0; i < records.size(); i++) {
      read(records.get(i), i, traces);
    }
    Position at = position(records);
    Pass first = run(traces, at, deadline);
    drain(first, at, deadline);
    if (first.failed().isEmpty()) {
      return BatchResult.allHandled();
    }
    return BatchResult.failedFrom(records.get(first.failed().nextSetBit(0)).sequenceNumber());
  }

  /**
   * Where a batch leaves its shard: the shard, the shards whose parked traces it carries on with
   * (itself, then its ancestors), and how far it has been read, in arrival time.
   */
  private record Position(String shardId, List<String> shards, Instant time) {}

  private Position position(List<StreamRecord> records) {
    StreamRecord first = records.get(0);
    Instant time = first.arrival();
    for (StreamRecord r : records) {
      if (r.arrival().isAfter(time)) {
        time = r.arrival();
      }
    }
    List<String> shards = new ArrayList<>();
    shards.add(first.shardId());
    for (int i = 0; i < shards.size(); i++) {
      for (String parent : lineage.origin(first.streamArn(), shards.get(i)).parents()) {
        if (!shards.contains(parent)) {
          shards.add(parent);
        }
      }
    }
    return new Position(first.shardId(), List.copyOf(shards), time);
  }

  /** What one pass did: the batch records whose spans were not exported, and whether more may be due. */
  private record Pass(BitSet failed, boolean moreDue, Duration took) {}

  /** Makes further passes over due parked traces while the last found a full page, made progress and time allows one more. */
  private void drain(Pass pass, Position at, Instant deadline) {
    while (pass.moreDue() && !clock.instant().plus(pass.took()).isAfter(deadline)) {
      pass = run(new LinkedHashMap<>(), at, deadline);
    }
  }

  private void read(StreamRecord record, int index, Map<String, PendingTrace> traces) {
    TraceRecordReader.Read read = reader.read(record);
    if (read.setAside()) {
      telemetry.count(METRIC_UNDECODABLE, 1);
    }
    if (read.spans().isEmpty()) {
      return;
    }
    ExportTraceServiceRequest request = read.spans().get();
    String source = record.shardId() + ":" + record.sequenceNumber();
    int[] duplicates = {0};
    TraceRequests.forEachSpan(
        request,
        span -> {
          ByteString traceId = span.span().getTraceId();
          if (traceId.size() != 16 || span.span().getSpanId().size() != 8) {
            return;
          }
          PendingTrace t = traces.computeIfAbsent(TraceId.hex(traceId), k -> new PendingTrace(traceId));
          if (!t.add(span, index, source, record.arrival())) {
            duplicates[0]++;
          }
        });
    if (duplicates[0] > 0) {
      telemetry.count(METRIC_DUPLICATES, duplicates[0]);
    }
  }

  private Pass run(Map<String, PendingTrace> traces, Position at, Instant deadline) {
    Instant started = clock.instant();
    Instant now = at.time();
    String claimant = UUID.randomUUID().toString();
    List<String> due = buffer.due(at.shards(), now, DUE_PER_PASS);
    for (String id : due) {
      PendingTrace t = traces.computeIfAbsent(id, k -> new PendingTrace(TraceId.fromHex(k)));
      t.dueInBuffer = true;
      loadParked(t);
    }
    Map<String, TraceDecision> known = decisions.find(traces.keySet());
    List<ParkedChunk> toPark = new ArrayList<>();
    List<ParkedChunk> toRemove = new ArrayList<>();
    List<Kept> kept = new ArrayList<>();
    int parkedTraces = 0;
    for (PendingTrace t : traces.values()) {
      if (t.spanCount() == 0) {
        continue;
      }
      TraceDecision decision = known.get(t.hexId);
      if (decision == null) {
        if (!isDue(t, now)) {
          toPark.addAll(chunks(t, at.shardId(), dueAt(t)));
          parkedTraces++;
          continue;
        }
        if (!t.parkedLoaded) {
          loadParked(t);
        }
        decision = decide(t, now, claimant);
      } else {
        lateSpans(t, decision, now);
      }
      if (!decision.keep()) {
        toRemove.addAll(t.chunks);
        continue;
      }
      // a decision read a moment ago may lack span ids exported since, never hold ones that were not
      if (!decision.isClaimedBy(claimant) && !unexported(t, decision.exportedSpanIds()).isEmpty()) {
        Optional<TraceDecision> claimed = decisions.claimExport(t.hexId, claimant);
        if (claimed.isEmpty()) {
          toPark.addAll(chunks(t, at.shardId(), now));
          parkedTraces++;
          continue;
        }
        decision = claimed.get();
      }
      List<TraceSpan> spans = unexported(t, decision.exportedSpanIds());
      if (spans.isEmpty() && !decision.isClaimedBy(claimant)) {
        toRemove.addAll(t.chunks);
        continue;
      }
      kept.add(new Kept(t, decision, spans));
    }
    if (!toPark.isEmpty()) {
      buffer.park(toPark);
      telemetry.count(METRIC_PARKED, parkedTraces);
    }
    telemetry.gauge(METRIC_TRACES_PARKED_GAUGE, parkedTraces, Map.of());
    boolean[] exportFailed = {false};
    BitSet failed = export(kept, toRemove, claimant, deadline, exportFailed);
    if (!toRemove.isEmpty()) {
      buffer.remove(toRemove);
    }
    telemetry.flush();
    boolean moreDue = due.size() >= DUE_PER_PASS && !toRemove.isEmpty() && !exportFailed[0];
    return new Pass(failed, moreDue, Duration.between(started, clock.instant()));
  }

  private static List<TraceSpan> unexported(PendingTrace t, Set<String> exportedSpanIds) {
    List<TraceSpan> spans = new ArrayList<>();
    for (TraceSpan s : t.allSpans()) {
      if (!exportedSpanIds.contains(TraceId.hex(s.span().getSpanId()))) {
        spans.add(s);
      }
    }
    return spans;
  }

  private boolean isDue(PendingTrace t, Instant now) {
    return t.dueInBuffer || t.spanCount() >= config.maxSpansPerTrace() || !now.isBefore(dueAt(t));
  }

  /** {@code decision_wait} after the first span arrived or, if sooner, {@code decision_wait_after_root_received} after the root. */
  private Instant dueAt(PendingTrace t) {
    Instant due = t.firstSeen.plus(config.decisionWait());
    if (t.rootSeen != null && config.decisionWaitAfterRootReceived().isPresent()) {
      Instant afterRoot = t.rootSeen.plus(config.decisionWaitAfterRootReceived().get());
      if (afterRoot.isBefore(due)) {
        due = afterRoot;
      }
    }
    return due;
  }

  private void loadParked(PendingTrace t) {
    t.parkedLoaded = true;
    for (ParkedChunk chunk : buffer.load(t.hexId)) {
      t.chunks.add(chunk);
      try {
        for (TraceSpan s : TraceRequests.decode(chunk.otlpRequest())) {
          t.addParked(s);
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("parked chunk " + t.hexId + "/" + chunk.chunkId() + " is not an OTLP trace request", e);
      }
    }
  }

  private TraceDecision decide(PendingTrace t, Instant now, String claimant) {
    long started = System.nanoTime();
    PolicyDecision d = policies.decide(t.trace());
    telemetry.observe(METRIC_DECISION_LATENCY, (System.nanoTime() - started) / 1_000.0, Map.of());
    TraceDecision mine = TraceDecision.of(t.hexId, d.isSampled(), d.policy(), d.probability(), now).withCompositePolicy(d.compositePolicy());
    TraceDecision holds = decisions.record(mine, claimant);
    // Two invocations may decide a due trace at once; only the one whose decision was recorded
    // counts it, so the sampled counts add up to the decisions that hold.
    if (holds.decidedAt().equals(mine.decidedAt()) && holds.policy().equals(mine.policy())) {
      Map<String, String> dims = Map.of("policy", holds.policy(), "sampled", Boolean.toString(holds.keep()));
      telemetry.count(METRIC_TRACES_SAMPLED, 1, dims);
      telemetry.count(METRIC_SPANS_SAMPLED, t.spanCount(), dims);
      telemetry.count(METRIC_DECIDED, 1);
    }
    return holds;
  }

  private void lateSpans(PendingTrace t, TraceDecision decision, Instant now) {
    if (!t.batchSpans.isEmpty()) {
      double age = Duration.between(decision.decidedAt(), now).toMillis() / 1000.0;
      telemetry.observe(METRIC_LATE_SPAN_AGE, Math.max(0, age), Map.of());
    }
  }

  /** This batch's spans of a trace, as chunks of its shard due then, whose ids come from the first record holding them. */
  private List<ParkedChunk> chunks(PendingTrace t, String shardId, Instant due) {
    List<TraceSpan> spans = new ArrayList<>(t.batchSpans.values());
    List<ParkedChunk> out = new ArrayList<>();
    for (int from = 0, part = 0; from < spans.size(); from += SPANS_PER_CHUNK, part++) {
      List<TraceSpan> slice = spans.subList(from, Math.min(spans.size(), from + SPANS_PER_CHUNK));
      String id = part == 0 ? t.chunkId : t.chunkId + "/" + part;
      out.add(new ParkedChunk(t.hexId, id, shardId, due, slice.size(), TraceRequests.encode(slice).toByteArray()));
    }
    return out;
  }

  /** A kept trace and its spans not yet exported. */
  private record Kept(PendingTrace trace, TraceDecision decision, List<TraceSpan> spans) {}

  private BitSet export(List<Kept> kept, List<ParkedChunk> toRemove, String claimant, Instant deadline, boolean[] anyFailed) {
    BitSet failed = new BitSet();
    List<Kept> request = new ArrayList<>();
    int spans = 0;
    for (Kept k : kept) {
      if (spans > 0 && spans + k.spans.size() > SPANS_PER_EXPORT) {
        anyFailed[0] |= !send(request, spans, failed, toRemove, claimant, deadline);
        request = new ArrayList<>();
        spans = 0;
      }
      request.add(k);
      spans += k.spans.size();
    }
    if (!request.isEmpty()) {
      anyFailed[0] |= !send(request, spans, failed, toRemove, claimant, deadline);
    }
    return failed;
  }

  /** Exports the kept spans; false when the backend may take them later and they stay unexported. */
  private boolean send(List<Kept> kept, int spanCount, BitSet failed, List<ParkedChunk> toRemove, String claimant, Instant deadline) {
    if (spanCount > 0) {
      List<TraceSpan> out = new ArrayList<>(spanCount);
      for (Kept k : kept) {
        for (TraceSpan s : k.spans) {
          ScopeSpans scope = config.recordPolicy() ? recordPolicy(s.scope(), k.decision) : s.scope();
          out.add(new TraceSpan(s.resource(), scope, raiseThreshold(s.span(), k.decision)));
        }
      }
      byte[] bytes = TraceRequests.encode(out).toByteArray();
      ExportResult result = exporter.export(Signal.TRACES, bytes, spanCount, deadline);
      if (result.outcome() == ExportResult.Outcome.RETRYABLE) {
        for (Kept k : kept) {
          failed.or(k.trace.records);
          decisions.release(k.trace.hexId, claimant);
        }
        return false;
      }
      if (result.outcome() == ExportResult.Outcome.PERMANENT) {
        byte[] envelope = RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, spanCount, bytes).toBytes();
        // the spans come from many records and parked chunks: the refusal is kept under its own
        // name, named after the first trace it holds, so no refusal replaces another
        failures.send(
            new StreamRecord("trace-sampler", "refused-export", kept.get(0).trace.hexId, "", envelope, clock.instant()),
            "the backend refused " + spanCount + " kept spans of " + kept.size() + " traces for good: " + result.message());
      }
    }
    for (Kept k : kept) {
      decisions.markExported(k.trace.hexId, k.spans.stream().map(s -> TraceId.hex(s.span().getSpanId())).toList(), claimant);
      toRemove.addAll(k.trace.chunks);
    }
    return true;
  }

  /** For a hash-based keep, raises the span's sampling threshold to the keep's probability. */
  private static Span raiseThreshold(Span span, TraceDecision decision) {
    if (decision.probability().isEmpty()) {
      return span;
    }
    return span.toBuilder().setTraceState(SamplingThreshold.raise(span.getTraceState(), decision.probability().getAsDouble())).build();
  }

  /** Names the deciding policy (and a composite's sub-policy) on the span's instrumentation scope, where the Collector records it. */
  private static ScopeSpans recordPolicy(ScopeSpans scopeSpans, TraceDecision decision) {
    InstrumentationScope.Builder scope = scopeSpans.getScope().toBuilder();
    scope.addAttributes(KeyValue.newBuilder().setKey(POLICY_ATTRIBUTE).setValue(AnyValue.newBuilder().setStringValue(decision.policy())));
    decision.compositePolicy().ifPresent(c ->
        scope.addAttributes(KeyValue.newBuilder().setKey(COMPOSITE_POLICY_ATTRIBUTE).setValue(AnyValue.newBuilder().setStringValue(c))));
    return scopeSpans.toBuilder().setScope(scope).build();
  }
}
