package io.otelpipeline.core.sampling;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.state.SamplerState;
import io.otelpipeline.core.shardstate.MeteredShardStateStore;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.stream.ShardTicks;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.TraceCorpus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spans decided per second on one core on the in-batch path: 100 records of 100 spans over 1,000
 * traces, all due, decoded, grouped, evaluated against errors + latency + 10% probabilistic
 * policies, decisions remembered, kept spans annotated and encoded for export, and the shard's
 * state encoded and compressed for its save (into memory). The
 * baseline in the same run, {@code decodeOnly}, decodes the same records and does nothing else.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SamplerBenchmark {
  static final int RECORDS = 100;
  static final int SPANS_PER_RECORD = 100;
  static final int SPANS = RECORDS * SPANS_PER_RECORD;

  private List<StreamRecord> records;
  private TailSamplingConfig config;
  private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:01:00Z"), ZoneOffset.UTC);

  @Setup(Level.Trial)
  public void setUp() {
    records = new ArrayList<>();
    Instant arrival = clock.instant().minusSeconds(30);
    for (int r = 0; r < RECORDS; r++) {
      ExportTraceServiceRequest request = TraceCorpus.request(r % 10, SPANS_PER_RECORD, 10);
      byte[] data = RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, SPANS_PER_RECORD, request.toByteArray()).toBytes();
      records.add(new StreamRecord("bench", "shardId-000", Long.toString(r), "pk", data, arrival));
    }
    // the shard read decision_wait past the spans, so that every trace is due in the batch
    records.add(new StreamRecord("bench", "shardId-000", Long.toString(RECORDS), Tick.PARTITION_KEY, Tick.record(), clock.instant()));
    config = errorsSlowAndTenPercent(Duration.ofSeconds(10));
  }

  /** The policies measured here and simulated by SamplerCostSimulation: errors, slow traces, 10% of the rest. */
  static TailSamplingConfig errorsSlowAndTenPercent(Duration decisionWait) {
    return new TailSamplingConfig(
        decisionWait,
        Optional.empty(),
        false,
        TailSamplingConfig.DEFAULT_MAX_SPANS_PER_TRACE,
        Duration.ofHours(1),
        List.of(
            new PolicyConfig.StatusCode("errors", List.of("ERROR")),
            new PolicyConfig.Latency("slow", 1000, 0),
            new PolicyConfig.Probabilistic("ten-percent", 10, "salt")),
        false,
        List.of());
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public BatchResult inBatchPath() {
    ShardStates<SamplerState> states = new ShardStates<>(new MeteredShardStateStore(), TraceSampler.stateCodec());
    TraceSampler sampler =
        TraceSampler.create(
            config, states, ShardLineage.none(), ShardTicks.none(), (s, b, n) -> ExportResult.success(), (r, w) -> "discarded", Telemetry.noop(),
            clock);
    return sampler.handle(records);
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public int decodeOnly() throws Exception {
    int spans = 0;
    for (StreamRecord r : records) {
      spans += ExportTraceServiceRequest.parseFrom(RecordEnvelope.parse(r.data()).otlpRequest()).getResourceSpansCount();
    }
    return spans;
  }
}
