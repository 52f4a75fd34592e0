package io.otelpipeline.core.sampling;

import com.google.protobuf.ByteString;
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
import io.otelpipeline.core.sampling.state.SamplerState;
import io.otelpipeline.core.sampling.state.TraceDecision;
import io.otelpipeline.core.sampling.state.UndecidedTrace;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import io.otelpipeline.core.shardstate.ShardStateConflict;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.stream.ShardTicks;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tail sampling of one shard of the traces stream, read in order (ParallelizationFactor 1), with
 * everything it carries between invocations in the shard's state ({@link SamplerState}), saved
 * once per invocation.
 *
 * <p>Time is the stream's own: records are taken in their shard's order, and before each one the
 * traces due by its arrival time are decided, so a trace is decided with exactly the spans that
 * reached its shard within {@code decision_wait} of its first span (or
 * {@code decision_wait_after_root_received} of its root, or as soon as it holds
 * {@code max_spans_per_trace}), however late the invocation runs and however the batches are cut.
 * Ticks move an idle shard's time on; while traces wait, the sampler ticks its own shard.
 *
 * <ol>
 *   <li>The shard's state is loaded (from the warm container when nothing else saved since); a
 *       shard with none starts from its parents' final states, keeping the traces that hash into
 *       it. Records the state already took in (a retry after a save) are skipped.
 *   <li>Spans of decided traces follow the decision (kept unless the backend already has them);
 *       the others join their waiting trace. Each decision is taken once, here, and remembered for
 *       late spans ({@code decision_ttl}, {@code decision_cache}).
 *   <li>Kept spans go to the state's outbox and are exported whole per trace; what the backend
 *       takes leaves the outbox, what it refuses for good goes to the failure destination.
 *   <li>The state is saved, valid up to the batch's last record. When the backend could not take
 *       everything, the batch is reported failed from its last record: Lambda retries it, the
 *       record is already in the state, and the retry exports the outbox again. The shard waits
 *       in the stream meanwhile, so an outage holds data in Kinesis, not in memory.
 * </ol>
 *
 * <p>A crash after the backend took spans and before the save exports them again on the retry
 * (at least once); a crash after the save and before Lambda's checkpoint repeats nothing.
 */
public final class TraceSampler {
  private static final Logger LOG = LoggerFactory.getLogger(TraceSampler.class);
  /** The scope attribute naming the policy that kept the trace, as the Collector names it. */
  public static final String POLICY_ATTRIBUTE = "tailsampling.policy";
  /** The scope attribute naming a composite policy's sub-policy that kept the trace, as the Collector names it. */
  public static final String COMPOSITE_POLICY_ATTRIBUTE = "tailsampling.composite_policy";
  /** Spans per export request; a trace is never split across requests unless it alone is bigger. */
  static final int SPANS_PER_EXPORT = 5_000;

  private final TailSamplingConfig config;
  private final SamplingPolicies policies;
  private final ShardStates<SamplerState> states;
  private final ShardLineage lineage;
  private final ShardTicks ticks;
  private final SignalExporter exporter;
  private final FailureDestination failures;
  private final TraceRecordReader reader;
  private final Telemetry telemetry;
  private final Clock clock;

  private TraceSampler(
      TailSamplingConfig config,
      ShardStates<SamplerState> states,
      ShardLineage lineage,
      ShardTicks ticks,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    this.config = config;
    this.policies = SamplingPolicies.create(config, clock);
    this.states = states;
    this.lineage = lineage;
    this.ticks = ticks;
    this.exporter = exporter;
    this.failures = failures;
    this.reader = new TraceRecordReader(failures, "trace-sampler");
    this.telemetry = telemetry;
    this.clock = clock;
  }

  /** {@code clock} is the wall clock of export deadlines; decisions follow the stream's time. */
  public static TraceSampler create(
      TailSamplingConfig config,
      ShardStates<SamplerState> states,
      ShardLineage lineage,
      ShardTicks ticks,
      SignalExporter exporter,
      FailureDestination failures,
      Telemetry telemetry,
      Clock clock) {
    return new TraceSampler(config, states, lineage, ticks, exporter, failures, telemetry, clock);
  }

  /** How the sampler's shard states are written as bytes. */
  public static ShardStates.Codec<SamplerState> stateCodec() {
    return new SamplerStateCodec();
  }

  /** Handles one batch of records from the traces stream, with no deadline but the exporter's retry budget. */
  public BatchResult handle(List<StreamRecord> records) {
    return handle(records, Instant.MAX);
  }

  /** Handles one batch of one shard's records; exports wait out a backend outage only until {@code deadline}. */
  public BatchResult handle(List<StreamRecord> records, Instant deadline) {
    if (records.isEmpty()) {
      return BatchResult.allHandled();
    }
    StreamRecord first = records.get(0);
    StreamRecord last = records.get(records.size() - 1);
    ShardLineage.Origin origin = lineage.origin(first.streamArn(), first.shardId());
    ShardStates.Loaded<SamplerState> loaded = states.load(first.shardId(), origin.parents(), parents -> {
      SamplerState start = SamplerState.empty();
      parents.forEach(p -> start.absorb(p, traceId -> origin.ownsTrace(traceId.toByteArray())));
      return start;
    });
    SamplerState state = loaded.state();
    boolean hadOutbox = !state.outbox().isEmpty();
    int taken = 0;
    for (StreamRecord r : records) {
      if (!loaded.covers(r.sequenceNumber())) {
        // spans that arrive after a trace's due time are late: decide it first
        decideDue(state, due -> due.isBefore(r.arrival()));
        state.advanceTo(r.arrival());
        take(r, state, origin);
        taken++;
      }
    }
    if (taken == 0 && !hadOutbox) {
      return BatchResult.allHandled();
    }
    decideDue(state, due -> !due.isAfter(state.time()));
    state.decisions().forget(state.time(), config.decisionTtl(), config.decisionCache().sampledSize(), config.decisionCache().nonSampledSize());
    boolean allSent = export(state, deadline);
    String upTo = taken > 0 ? last.sequenceNumber() : loaded.version().orElseThrow().sequenceNumber();
    try {
      states.save(loaded, upTo, state);
    } catch (ShardStateConflict e) {
      LOG.warn("trace-sampler: {}", e.getMessage());
      telemetry.count(ShardStates.CONFLICTS, 1);
      telemetry.flush();
      return BatchResult.failedFrom(first.sequenceNumber());
    }
    telemetry.gauge(TailSamplingInstruments.TRACES_ON_MEMORY, state.undecided().size());
    telemetry.count(TailSamplingInstruments.TRACES_PARKED, state.undecided().size());
    telemetry.flush();
    if (!allSent) {
      return BatchResult.failedFrom(last.sequenceNumber());
    }
    if (!state.undecided().isEmpty()) {
      tickOwnShard(first.streamArn(), origin);
    }
    return BatchResult.allHandled();
  }

  /** A tick that fails to arrive only delays decisions until traffic or the scheduled tick moves time on. */
  private void tickOwnShard(String streamArn, ShardLineage.Origin origin) {
    try {
      ticks.tick(streamArn, origin.range());
    } catch (RuntimeException e) {
      LOG.warn("trace-sampler: could not tick {}, its waiting traces wait for the next record or scheduled tick: {}",
          origin.range().shardId(), e.getMessage());
    }
  }

  private void take(StreamRecord record, SamplerState state, ShardLineage.Origin origin) {
    TraceRecordReader.Read read = reader.read(record);
    if (read.setAside()) {
      telemetry.count(TailSamplingInstruments.RECORDS_UNDECODABLE, 1);
    }
    if (read.spans().isEmpty()) {
      return;
    }
    ExportTraceServiceRequest request = read.spans().get();
    int[] duplicates = {0};
    int[] elsewhere = {0};
    Map<ByteString, Boolean> owned = new HashMap<>();
    List<UndecidedTrace> full = new ArrayList<>();
    TraceRequests.forEachSpan(
        request,
        span -> {
          ByteString traceId = span.span().getTraceId();
          ByteString spanId = span.span().getSpanId();
          if (traceId.size() != 16 || spanId.size() != 8) {
            return;
          }
          if (!owned.computeIfAbsent(traceId, t -> origin.ownsTrace(t.toByteArray()))) {
            // landed here on a shard map older than a reshard; ingest wrote it again to the shard that owns it
            elsewhere[0]++;
            return;
          }
          TraceDecision decision = state.decisions().find(traceId).orElse(null);
          if (decision != null) {
            lateSpan(state, decision, span, duplicates);
            return;
          }
          UndecidedTrace t = state.undecided(traceId).orElse(null);
          boolean fresh = t == null;
          if (fresh) {
            t = new UndecidedTrace(traceId, record.arrival(), null);
          }
          if (!t.add(span, record.arrival())) {
            duplicates[0]++;
          }
          Instant due = t.dueAt(config.decisionWait(), config.decisionWaitAfterRootReceived());
          if (fresh || !due.equals(state.dueAt(traceId))) {
            state.await(t, due);
          }
          if (t.spanCount() == config.maxSpansPerTrace()) {
            full.add(t);
          }
        });
    for (UndecidedTrace t : full) {
      decide(state, state.take(t.traceId()));
    }
    if (duplicates[0] > 0) {
      telemetry.count(TailSamplingInstruments.SPANS_DUPLICATE, duplicates[0]);
    }
    if (elsewhere[0] > 0) {
      telemetry.count(TailSamplingInstruments.SPANS_OF_OTHER_SHARDS, elsewhere[0]);
    }
  }

  private void lateSpan(SamplerState state, TraceDecision decision, TraceSpan span, int[] duplicates) {
    ByteString spanId = span.span().getSpanId();
    if (!decision.keep()) {
      return;
    }
    if (!decision.wants(spanId) || state.sending(decision.traceId(), spanId)) {
      duplicates[0]++;
      return;
    }
    double age = Duration.between(decision.decidedAt(), state.time()).toMillis() / 1000.0;
    telemetry.observe(TailSamplingInstruments.LATE_SPAN_AGE, Math.max(0, age));
    state.send(decision, List.of(span));
  }

  private void decideDue(SamplerState state, java.util.function.Predicate<Instant> isDue) {
    for (UndecidedTrace t : state.takeDue(isDue)) {
      decide(state, t);
    }
  }

  private void decide(SamplerState state, UndecidedTrace t) {
    long started = System.nanoTime();
    PolicyDecision d = policies.decide(t.trace());
    telemetry.observe(TailSamplingInstruments.DECISION_LATENCY, (System.nanoTime() - started) / 1_000.0);
    TraceDecision decision = TraceDecision.of(t.traceId(), d.isSampled(), d.policy(), d.compositePolicy(), d.probability(), state.time());
    state.decisions().remember(decision);
    Map<String, String> dims = Map.of("policy", decision.policy(), "sampled", Boolean.toString(decision.keep()));
    telemetry.count(TailSamplingInstruments.TRACES_SAMPLED, 1, dims);
    telemetry.count(TailSamplingInstruments.SPANS_SAMPLED, t.spanCount(), dims);
    telemetry.count(TailSamplingInstruments.TRACES_DECIDED, 1);
    if (decision.keep()) {
      state.send(decision, t.spans());
    }
  }

  /** Exports the outbox, whole traces per request; false when the backend may take the rest later and it stays in the outbox. */
  private boolean export(SamplerState state, Instant deadline) {
    List<SamplerState.Outgoing> request = new ArrayList<>();
    int spans = 0;
    for (SamplerState.Outgoing o : List.copyOf(state.outbox().values())) {
      if (spans > 0 && spans + o.spans().size() > SPANS_PER_EXPORT) {
        if (!send(state, request, spans, deadline)) {
          return false;
        }
        request = new ArrayList<>();
        spans = 0;
      }
      request.add(o);
      spans += o.spans().size();
    }
    return request.isEmpty() || send(state, request, spans, deadline);
  }

  private boolean send(SamplerState state, List<SamplerState.Outgoing> traces, int spanCount, Instant deadline) {
    List<TraceSpan> out = new ArrayList<>(spanCount);
    for (SamplerState.Outgoing o : traces) {
      for (TraceSpan s : o.spans().values()) {
        ScopeSpans scope = config.recordPolicy() ? recordPolicy(s.scope(), o.decision()) : s.scope();
        out.add(new TraceSpan(s.resource(), scope, raiseThreshold(s.span(), o.decision())));
      }
    }
    byte[] bytes = TraceRequests.encode(out).toByteArray();
    ExportResult result = exporter.export(Signal.TRACES, bytes, spanCount, deadline);
    if (result.outcome() == ExportResult.Outcome.RETRYABLE) {
      return false;
    }
    if (result.outcome() == ExportResult.Outcome.PERMANENT) {
      byte[] envelope = RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, spanCount, bytes).toBytes();
      // the spans come from many records: the refusal is kept under its own name, named after
      // the first trace it holds, so no refusal replaces another
      failures.send(
          new StreamRecord("trace-sampler", "refused-export", TraceId.hex(traces.get(0).decision().traceId()), "", envelope, clock.instant()),
          "the backend refused " + spanCount + " kept spans of " + traces.size() + " traces for good: " + result.message());
    }
    for (SamplerState.Outgoing o : traces) {
      o.decision().exportedSpanIds().addAll(o.spans().keySet());
      state.outbox().remove(o.decision().traceId());
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
