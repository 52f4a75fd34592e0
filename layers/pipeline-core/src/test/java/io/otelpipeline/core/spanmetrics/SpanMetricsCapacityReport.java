package io.otelpipeline.core.spanmetrics;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.servicegraph.DynamoDbPendingEdgeStore;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * DynamoDB request units per million spans of the span-metrics consumer, delta against
 * cumulative, counted from the requests it makes to DynamoDB Local and the sizes of the items they
 * touch. Span metrics only: the service graph's pending halves cost the same in both modes. Run
 * with
 * {@code mvn -q -pl layers/pipeline-core test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.otelpipeline.core.spanmetrics.SpanMetricsCapacityReport}.
 */
public final class SpanMetricsCapacityReport {
  private static final String TABLE = "span-metrics-state";
  private static final int BATCHES = 4;
  private static final int RECORDS_PER_BATCH = 100;
  private static final int TRACES_PER_RECORD = 20;
  private static final int SPANS_PER_TRACE = 5;

  private SpanMetricsCapacityReport() {}

  /**
   * The items each request reads or writes, by operation. DynamoDB Local does not report consumed
   * capacity, so units are counted as DynamoDB bills them from the items' sizes at the end of the
   * run (the largest they were): a write of an item is one unit per started KB, twice that inside a
   * transaction; a strongly consistent read one unit per started 4 KB.
   */
  static final class Meter implements ExecutionInterceptor {
    /** Requests by operation, and the keys of the items written, written in transactions, and read. */
    final Map<String, Long> requests = new TreeMap<>();
    final List<String> written = new ArrayList<>();
    final List<String> writtenInTransactions = new ArrayList<>();
    final List<String> read = new ArrayList<>();

    void reset() {
      requests.clear();
      written.clear();
      writtenInTransactions.clear();
      read.clear();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      SdkRequest r = context.request();
      requests.merge(r.getClass().getSimpleName().replace("Request", ""), 1L, Long::sum);
      if (r instanceof PutItemRequest p) {
        written.add(p.item().get("pk").s());
      } else if (r instanceof UpdateItemRequest u) {
        written.add(u.key().get("pk").s());
      } else if (r instanceof BatchWriteItemRequest w) {
        w.requestItems().values().forEach(l -> l.forEach(x -> written.add(x.putRequest().item().get("pk").s())));
      } else if (r instanceof BatchGetItemRequest g) {
        g.requestItems().values().forEach(k -> k.keys().forEach(key -> read.add(key.get("pk").s())));
      } else if (r instanceof TransactWriteItemsRequest t) {
        for (TransactWriteItem item : t.transactItems()) {
          writtenInTransactions.add(item.put() != null ? item.put().item().get("pk").s() : item.update().key().get("pk").s());
        }
      }
    }
  }

  /** An item's size as DynamoDB counts it: attribute names plus values (strings, numbers, binaries). */
  static long size(Map<String, AttributeValue> item) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      AttributeValue v = e.getValue();
      if (v.s() != null) {
        bytes += v.s().getBytes(StandardCharsets.UTF_8).length;
      } else if (v.n() != null) {
        bytes += v.n().replace("-", "").replace(".", "").length() / 2 + 1;
      } else if (v.b() != null) {
        bytes += v.b().asByteArray().length;
      }
    }
    return bytes;
  }

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "%d batches x %d records x %d traces x %d spans, span metrics only%n",
        BATCHES, RECORDS_PER_BATCH, TRACES_PER_RECORD, SPANS_PER_TRACE);
    for (int[] shape : new int[][] {{3, 3}, {20, 10}}) {
      for (String temporality : List.of("AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE")) {
        try (LocalDynamoDb table = LocalDynamoDb.start().create(TableSpec.spanMetricsState(TABLE))) {
          Meter meter = new Meter();
          DynamoDbClient metered =
              DynamoDbClient.builder()
                  .endpointOverride(table.endpoint())
                  .region(table.client().serviceClientConfiguration().region())
                  .credentialsProvider(table.client().serviceClientConfiguration().credentialsProvider())
                  .httpClient(UrlConnectionHttpClient.create())
                  .overrideConfiguration(c -> c.addExecutionInterceptor(meter))
                  .build();
          long spans = run(metered, temporality, shape[0], shape[1]);
          Map<String, Long> sizes = new HashMap<>();
          table.client().scanPaginator(b -> b.tableName(TABLE)).items().forEach(i -> sizes.put(i.get("pk").s(), size(i)));
          report(shape[0] + " services x " + shape[1] + " names, " + temporality.substring("AGGREGATION_TEMPORALITY_".length()), meter, sizes, spans);
        }
      }
    }
  }

  private static long run(DynamoDbClient dynamo, String temporality, int services, int names) {
    SpanMetricsConfig config =
        SpanMetricsConfig.from(
                PipelineConfig.parse(
                    "capacity.yaml",
                    "connectors:\n  spanmetrics:\n    aggregation_temporality: " + temporality + "\n",
                    new FunctionEnvironment(Map.of())))
            .orElseThrow();
    MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    SpanMetricsConsumer consumer =
        new SpanMetricsConsumer(
            Optional.of(config),
            Optional.empty(),
            new DynamoDbSpanLedger(dynamo, TABLE, clock),
            new DynamoDbPendingEdgeStore(dynamo, TABLE),
            new DynamoDbSeriesTotals(dynamo, TABLE),
            Optional.empty(),
            (signal, bytes, count) -> ExportResult.success(),
            (record, reason) -> {
              throw new IllegalStateException(reason);
            },
            Telemetry.noop(),
            clock);
    Random random = new Random(42);
    long spans = 0;
    long sequence = 0;
    for (int b = 0; b < BATCHES; b++) {
      List<StreamRecord> batch = new ArrayList<>();
      for (int r = 0; r < RECORDS_PER_BATCH; r++) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (int t = 0; t < TRACES_PER_RECORD; t++) {
          String traceId = String.format("%016x%016x", random.nextLong(), random.nextLong());
          for (int s = 0; s < SPANS_PER_TRACE; s++) {
            String service = "service-" + random.nextInt(services);
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            scope.addSpans(
                TestSpans.span(traceId, String.format("%016x", random.nextLong() | 1), "", s % 2 == 0 ? SPAN_KIND_SERVER : SPAN_KIND_CLIENT,
                    "operation-" + random.nextInt(names), random.nextInt(2_000), random.nextInt(20) == 0));
            request.addResourceSpans(ResourceSpans.newBuilder().setResource(TestSpans.resource(service)).addScopeSpans(scope));
            spans++;
          }
        }
        byte[] data = RecordEnvelope.wrap(Signal.TRACES, Compression.NONE, TRACES_PER_RECORD * SPANS_PER_TRACE, request.build().toByteArray()).toBytes();
        batch.add(new StreamRecord("arn", "shardId-000000000000", Long.toString(++sequence), "k", data, clock.instant()));
      }
      consumer.consume(batch);
    }
    return spans;
  }

  private static void report(String what, Meter meter, Map<String, Long> sizes, long spans) {
    double writes = 0;
    Map<String, Double> byKind = new TreeMap<>();
    for (String pk : meter.written) {
      double units = Math.ceil(sizes.getOrDefault(pk, 100L) / 1024d);
      writes += units;
      byKind.merge(pk.substring(0, pk.indexOf('#') + 1) + " write", units, Double::sum);
    }
    for (String pk : meter.writtenInTransactions) {
      double units = 2 * Math.ceil(sizes.getOrDefault(pk, 100L) / 1024d);
      writes += units;
      byKind.merge(pk.substring(0, pk.indexOf('#') + 1) + " transactional write", units, Double::sum);
    }
    double reads = 0;
    for (String pk : meter.read) {
      double units = Math.ceil(sizes.getOrDefault(pk, 100L) / 4096d);
      reads += units;
      byKind.merge(pk.substring(0, pk.indexOf('#') + 1) + " read", units, Double::sum);
    }
    double perMillion = 1_000_000d / spans;
    StringBuilder detail = new StringBuilder();
    byKind.forEach((k, v) -> detail.append(String.format(Locale.ROOT, "%s %.0f; ", k, v * perMillion)));
    System.out.printf(Locale.ROOT, "%s: per million spans %.0f WRU, %.0f RRU [%s] requests %s%n",
        what, writes * perMillion, reads * perMillion, detail.toString().trim(), meter.requests);
  }
}
