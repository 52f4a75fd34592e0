package io.otelpipeline.core.spanmetrics;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.config.ConfigBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Spans aggregated per second on one thread (one core), for a batch of {@value #BATCH} spans from
 * 20 services with 10 span names each, default dimensions and the Collector's default buckets;
 * the aux counter reports the data points such a batch exports.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class SpanMetricsBenchmark {
  static final int BATCH = 10_000;

  @Param({"explicit", "exponential"})
  public String histogram;

  private SpanMetricsConfig config;
  private final List<Resource> resources = new ArrayList<>();
  private final List<Span> spans = new ArrayList<>();

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Exported {
    public long dataPoints;

    @Setup(Level.Iteration)
    public void reset() {
      dataPoints = 0;
    }
  }

  @Setup
  public void setUp() {
    Map<String, Object> settings =
        histogram.equals("exponential") ? Map.of("histogram", Map.of("exponential", Map.of())) : Map.of();
    config = SpanMetricsConfig.parse(ConfigBlock.of("connectors.spanmetrics", settings));
    Random random = new Random(42);
    for (int i = 0; i < BATCH; i++) {
      int service = random.nextInt(20);
      resources.add(
          Resource.newBuilder()
              .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("service-" + service)))
              .build());
      Span.Builder span =
          Span.newBuilder()
              .setName("operation-" + random.nextInt(10))
              .setKind(Span.SpanKind.forNumber(1 + random.nextInt(5)))
              .setStartTimeUnixNano(1_700_000_000_000_000_000L)
              .setEndTimeUnixNano(1_700_000_000_000_000_000L + (long) (random.nextDouble() * 2_000_000_000L));
      if (random.nextInt(20) == 0) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      }
      spans.add(span.build());
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int aggregateABatch(Exported exported) {
    SpanMetricsAggregator aggregator = SpanMetricsAggregator.create(config);
    for (int i = 0; i < BATCH; i++) {
      aggregator.add(resources.get(i), spans.get(i), 1);
    }
    int points = aggregator.dataPointCount();
    exported.dataPoints += points;
    return aggregator.toResourceMetrics(1, 2).size() + points;
  }
}
