package io.otelpipeline.core.connectors;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.servicegraph.ServiceGraphConfig;
import io.otelpipeline.core.shardstate.S3ShardStateStore;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.spanmetrics.SpanMetricsConfig;
import io.otelpipeline.core.spans.SeenSpans;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.LocalS3;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import io.otelpipeline.core.testing.TestSpans;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the span-metrics consumer's shard state costs per million spans at 100, 1,000 and 10,000
 * spans/s on one shard: every request it sends to S3 (S3Proxy) and DynamoDB (DynamoDB Local) is
 * counted, and the saved state's size is read from the bucket. Delta span metrics and the service
 * graph with their defaults; the template's 10 s batching window; one cold start half-way through
 * (the warm container's copy lost, so one state GET). Run with
 *
 * <pre>
 * mvn -q -o -pl layers/pipeline-core test-compile dependency:build-classpath \
 *   -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * cd layers/pipeline-core &amp;&amp; java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *   io.otelpipeline.core.connectors.SpanMetricsCapacityReport 100 1000 10000
 * </pre>
 */
public final class SpanMetricsCapacityReport {
  /** S3 Standard, us-east-1: PUT, COPY, POST, LIST $0.005 per 1,000; GET $0.0004 per 1,000; DELETE free. */
  static final double S3_PUT = 0.005 / 1000;
  static final double S3_GET = 0.0004 / 1000;
  /** DynamoDB on demand, as in aws-prices-us-east-1.yaml: $0.625 per million write units, $0.125 per million read units. */
  static final double WRITE_UNIT = 0.625 / 1_000_000;
  static final double READ_UNIT = 0.125 / 1_000_000;

  static final Duration WINDOW = Duration.ofSeconds(10);
  static final Duration RUN = Duration.ofMinutes(4);
  static final int SPANS_PER_TRACE = 13;
  static final int TRACES_PER_RECORD = 10;
  /**
   * Spans in one invocation at most: Lambda's 6 MB event holds the records base64-encoded, and a
   * span takes 88.5 bytes in a record (zstd, BENCHMARKS.md "Kinesis bytes per span"), so about
   * 50,000; a window with more spans is more invocations.
   */
  static final int MAX_SPANS_PER_INVOCATION = (int) (6_000_000 * 3 / 4 / 88.5);
  private static final String BUCKET = "shard-state";
  private static final String TABLE = "shard-state";
  private static final String SHARD = "shardId-000000000000";

  private SpanMetricsCapacityReport() {}

  /** Requests by service and operation. */
  static final class Meter implements ExecutionInterceptor {
    final Map<String, Long> requests = new TreeMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      requests.merge(context.request().getClass().getSimpleName().replace("Request", ""), 1L, Long::sum);
    }

    long get(String operation) {
      return requests.getOrDefault(operation, 0L);
    }
  }

  public static void main(String[] args) {
    List<Integer> loads = new ArrayList<>();
    for (String a : args.length == 0 ? new String[] {"100", "1000", "10000"} : args) {
      loads.add(Integer.parseInt(a));
    }
    System.out.printf(Locale.ROOT, "one shard, %d s batching window, %d min of stream time, %d spans per trace, dedup %s%n",
        WINDOW.toSeconds(), RUN.toMinutes(), SPANS_PER_TRACE, SeenSpans.Limits.DEFAULT);
    for (int load : loads) {
      try (LocalDynamoDb dynamo = LocalDynamoDb.start().create(TableSpec.shardState(TABLE));
          LocalS3 s3 = LocalS3.start().create(BUCKET)) {
        run(load, dynamo, s3);
      }
    }
  }

  private static void run(int spansPerSecond, LocalDynamoDb dynamo, LocalS3 s3) {
    Meter meter = new Meter();
    DynamoDbClient meteredDynamo =
        DynamoDbClient.builder()
            .endpointOverride(dynamo.endpoint())
            .region(dynamo.client().serviceClientConfiguration().region())
            .credentialsProvider(dynamo.client().serviceClientConfiguration().credentialsProvider())
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.addExecutionInterceptor(meter))
            .build();
    S3Client meteredS3 = s3.clientBuilder().overrideConfiguration(c -> c.addExecutionInterceptor(meter)).build();
    S3ShardStateStore store = new S3ShardStateStore(meteredS3, BUCKET, meteredDynamo, TABLE, "span-metrics");
    Instant t0 = Instant.parse("2024-05-01T10:00:00Z");
    MutableClock clock = new MutableClock(t0);
    SpanConnectorsShardStateCodec codec = new SpanConnectorsShardStateCodec();
    int windows = (int) (RUN.toMillis() / WINDOW.toMillis());
    int invocations = 0;
    Random random = new Random(42);
    long spans = 0;
    long sequence = 0;
    SpanConnectorsConsumer consumer = consumer(store, codec, clock);
    List<Span.Builder> carried = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      if (i == windows / 2) {
        consumer = consumer(store, codec, clock);
      }
      int spansThisWindow = (int) (spansPerSecond * WINDOW.toSeconds());
      int records = Math.max(1, spansThisWindow / (TRACES_PER_RECORD * SPANS_PER_TRACE));
      List<StreamRecord> batch = new ArrayList<>();
      for (int r = 0; r < records; r++) {
        Instant arrival = clock.instant().plusMillis(WINDOW.toMillis() * r / records);
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        // the second half of the previous record's traces arrives with this record: their halves wait in between
        carried.forEach(scope::addSpans);
        carried.clear();
        for (int t = 0; t < TRACES_PER_RECORD; t++) {
          String traceId = String.format("%016x%016x", random.nextLong(), random.nextLong());
          long parent = 0;
          for (int s = 0; s < SPANS_PER_TRACE; s++) {
            long spanId = random.nextLong() | 1;
            Span.Builder span =
                TestSpans.span(traceId, String.format("%016x", spanId), parent == 0 ? "" : String.format("%016x", parent),
                    s % 2 == 0 ? SPAN_KIND_SERVER : SPAN_KIND_CLIENT, "operation-" + random.nextInt(3), random.nextInt(2_000), random.nextInt(50) == 0);
            parent = spanId;
            if (s < SPANS_PER_TRACE / 2) {
              scope.addSpans(span);
            } else {
              carried.add(span);
            }
          }
        }
        spans += scope.getSpansCount();
        request.addResourceSpans(ResourceSpans.newBuilder().setResource(TestSpans.resource("service-" + random.nextInt(3))).addScopeSpans(scope));
        byte[] data = RecordEnvelope.wrap(Signal.TRACES, Compression.NONE, scope.getSpansCount(), request.build().toByteArray()).toBytes();
        batch.add(new StreamRecord("arn:aws:kinesis:us-east-1:1:stream/traces", SHARD, Long.toString(++sequence), "k", data, arrival));
      }
      clock.advance(WINDOW);
      int perInvocation = Math.max(1, MAX_SPANS_PER_INVOCATION / (TRACES_PER_RECORD * SPANS_PER_TRACE));
      for (int from = 0; from < batch.size(); from += perInvocation) {
        BatchResult result = consumer.consume(batch.subList(from, Math.min(batch.size(), from + perInvocation)));
        invocations++;
        if (!result.failedSequenceNumbers().isEmpty()) {
          throw new IllegalStateException("invocation " + invocations + " failed: " + result);
        }
      }
    }
    Map<String, Long> requests = new TreeMap<>(meter.requests);
    List<S3Object> objects = s3.client().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().filter(o -> !o.key().endsWith("/")).toList();
    long compressed = objects.stream().mapToLong(S3Object::size).sum();
    // read back without the meter: what the run sent is counted above
    SpanConnectorsShardState last =
        new ShardStates<>(new S3ShardStateStore(s3.client(), BUCKET, dynamo.client(), TABLE, "span-metrics"), codec).peek(SHARD).orElseThrow();
    long raw = codec.encode(last).length;

    double perMillion = 1_000_000d / spans;
    long gets = requests.getOrDefault("GetItem", 0L);
    long puts = requests.getOrDefault("PutItem", 0L);
    long s3Puts = requests.getOrDefault("PutObject", 0L);
    long s3Gets = requests.getOrDefault("GetObject", 0L);
    double dollars = (s3Puts * S3_PUT + s3Gets * S3_GET + puts * WRITE_UNIT + gets * READ_UNIT) * perMillion;
    System.out.printf(Locale.ROOT,
        "%,d spans/s: %d invocations, %,d spans (%,d per invocation); requests %s;%n"
            + "  per invocation: %.2f GetItem, %.2f PutItem, %.2f S3 PUT, %.2f S3 GET, %.2f S3 DELETE;%n"
            + "  per million spans: %.1f GetItem (1 RRU each), %.1f PutItem (1 WRU each), %.1f S3 PUT, %.1f S3 GET: $%.6f;%n"
            + "  per shard-hour at this rate: $%.6f; state: %,d span ids of %,d traces, %,d waiting halves, %,d bytes encoded, %,d bytes saved (zstd)%n",
        spansPerSecond, invocations, spans, spans / invocations, requests,
        gets / (double) invocations, puts / (double) invocations, s3Puts / (double) invocations, s3Gets / (double) invocations,
        requests.getOrDefault("DeleteObject", 0L) / (double) invocations,
        gets * perMillion, puts * perMillion, s3Puts * perMillion, s3Gets * perMillion, dollars,
        dollars * spansPerSecond * 3600 / 1_000_000d,
        last.seen().spanCount(), last.seen().traceCount(), last.waiting().size(), raw, compressed);
  }

  private static SpanConnectorsConsumer consumer(S3ShardStateStore store, SpanConnectorsShardStateCodec codec, MutableClock clock) {
    return new SpanConnectorsConsumer(
        Optional.of(SpanMetricsConfig.defaults()),
        Optional.of(ServiceGraphConfig.defaults()),
        new ShardStates<>(store, codec),
        ShardLineage.none(),
        SeenSpans.Limits.DEFAULT,
        Optional.empty(),
        Optional.empty(),
        (signal, bytes, count) -> ExportResult.success(),
        (record, reason) -> {
          throw new IllegalStateException(reason);
        },
        Telemetry.noop(),
        clock);
  }
}
