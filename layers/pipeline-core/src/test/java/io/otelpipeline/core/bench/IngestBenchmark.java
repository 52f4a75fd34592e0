package io.otelpipeline.core.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.core.partition.Partitioned;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.partition.TracePartitioner;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.testing.TraceCorpus;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request bytes to PutRecords entries, in ns per span, beside protobuf-java's parse alone of the
 * same bytes and the naive parse-group-rebuild path. 512 spans over about 50 traces per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(IngestBenchmark.SPANS)
public class IngestBenchmark {
  static final int SPANS = 512;

  @Param({"NONE", "ZSTD", "GZIP"})
  public String compression;

  private byte[] request;
  private ShardMap shards;
  private TracePartitioner partitioner;
  private Compression codec;

  @Setup
  public void setUp() {
    request = TraceCorpus.request(2026, SPANS, 50).toByteArray();
    shards = ShardMap.evenlySplit(4);
    codec = Compression.valueOf(compression);
    partitioner = new TracePartitioner(codec);
  }

  @Benchmark
  public ExportTraceServiceRequest parseOnly() throws Exception {
    return ExportTraceServiceRequest.parseFrom(request);
  }

  @Benchmark
  public Partitioned wireWalkToRecords() throws Exception {
    return partitioner.partition(request, shards);
  }

  @Benchmark
  public List<?> naiveToRecords() throws Exception {
    return NaiveTraceSplitter.split(request, codec);
  }
}
