package io.otelpipeline.core.bench;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otelpipeline.core.export.OtlpSamples;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.otlp.Signal;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forwarder's merge of consecutive records into one export request, in ns per record: byte
 * concatenation (what it does; concatenated protobuf messages merge) beside protobuf-java's parse,
 * mergeFrom and serialize, and beside decoding the records' envelopes, which every path pays.
 * 100 records of 20 services with 10 metric points each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(ForwardMergeBenchmark.RECORDS)
public class ForwardMergeBenchmark {
  static final int RECORDS = 100;

  private final List<byte[]> envelopes = new ArrayList<>();
  private final List<byte[]> requests = new ArrayList<>();

  @Setup
  public void setUp() {
    for (int i = 0; i < RECORDS; i++) {
      byte[] request = OtlpSamples.metrics(20, 10).toByteArray();
      requests.add(request);
      envelopes.add(RecordEnvelope.wrap(Signal.METRICS, Compression.ZSTD, 200, request).toBytes());
    }
  }

  @Benchmark
  public byte[] concatenate() {
    ByteArrayOutputStream merged = new ByteArrayOutputStream();
    for (byte[] r : requests) {
      merged.writeBytes(r);
    }
    return merged.toByteArray();
  }

  @Benchmark
  public byte[] parseAndMerge() throws Exception {
    ExportMetricsServiceRequest.Builder merged = ExportMetricsServiceRequest.newBuilder();
    for (byte[] r : requests) {
      merged.mergeFrom(r);
    }
    return merged.build().toByteArray();
  }

  @Benchmark
  public int decodeEnvelopes() {
    int bytes = 0;
    for (byte[] e : envelopes) {
      bytes += RecordEnvelope.parse(e).otlpRequest().length;
    }
    return bytes;
  }
}
