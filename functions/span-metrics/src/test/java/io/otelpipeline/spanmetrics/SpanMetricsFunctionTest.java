package io.otelpipeline.spanmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.testing.FolderRuntime;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.LocalS3;
import io.otelpipeline.core.testing.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler on the event that {@code sam local invoke -e events/span-metrics-kinesis.json} sends. */
class SpanMetricsFunctionTest {
  private static final String EVENT = "../../events/span-metrics-kinesis.json";
  private static final String STATE = "shard-state";

  @TempDir Path folder;
  private LocalDynamoDb dynamo;
  private LocalS3 s3;
  private HttpServer backend;
  private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    dynamo = LocalDynamoDb.start().create(TableSpec.shardState(STATE));
    s3 = LocalS3.start().create(STATE);
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/v1/metrics",
        exchange -> {
          try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(exchange.getRequestBody().readAllBytes()))) {
            received.add(ExportMetricsServiceRequest.parseFrom(in.readAllBytes()));
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    backend.start();
  }

  @AfterEach
  void stop() throws Exception {
    backend.stop(0);
    s3.close();
    dynamo.close();
  }

  /** A new container: the shard's state is read back from S3. */
  private SpanMetricsFunction function() {
    Map<String, String> env = new HashMap<>(LocalS3.CLIENT_ENVIRONMENT);
    env.putAll(
        Map.of(
            "SHARD_STATE_BUCKET", STATE,
            "SHARD_STATE_TABLE", STATE,
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString(),
            "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
            "EXPORT_OTLP_ENDPOINT", "http://127.0.0.1:" + backend.getAddress().getPort(),
            "FAILURE_DIR", folder.resolve("failures").toString()));
    return new SpanMetricsFunction(new FolderRuntime(env), ShardLineage.none());
  }

  private long sum(String metric, String attribute, String value) {
    long total = 0;
    for (ExportMetricsServiceRequest r : received) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            if (m.getName().equals(metric)) {
              for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                boolean matches = value == null;
                for (KeyValue kv : p.getAttributesList()) {
                  matches |= kv.getKey().equals(attribute) && kv.getValue().getStringValue().equals(value);
                }
                for (KeyValue kv : rm.getResource().getAttributesList()) {
                  matches |= kv.getKey().equals(attribute) && kv.getValue().getStringValue().equals(value);
                }
                total += matches ? p.getAsInt() : 0;
              }
            }
          }
        }
      }
    }
    return total;
  }

  @Test
  void exportsRedMetricsAndTheEdgeOfTheEventOnceEvenWhenLambdaRetriesIt() {
    KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);
    StreamsEventResponse first = function().handleRequest(event, null);
    StreamsEventResponse retry = function().handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
    assertTrue(first.getBatchItemFailures().isEmpty());
    assertTrue(retry.getBatchItemFailures().isEmpty());
    assertEquals(1, received.size(), "the retried batch, in a new container, exports nothing more");
    assertEquals(1, sum("traces.span.metrics.calls", "service.name", "frontend"));
    assertEquals(1, sum("traces.span.metrics.calls", "service.name", "checkout"));
    assertEquals(1, sum("traces_service_graph_request_total", "client", "frontend"));
    assertEquals(1, sum("traces_service_graph_request_failed_total", "server", "checkout"));
    assertEquals(
        List.of("span-metrics/shardId-000000000000/"),
        s3.keys(STATE).stream().map(k -> k.substring(0, k.lastIndexOf('/') + 1)).distinct().toList(),
        "one state object for the shard, under the consumer's prefix");
  }

  @Test
  void cumulativeSpanMetricsWithoutTheirTableAreRefusedAtStartNamingTheVariable() throws Exception {
    Path config = folder.resolve("cumulative.yaml");
    java.nio.file.Files.writeString(config, "connectors:\n  spanmetrics:\n    aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE\n");
    Map<String, String> env = new HashMap<>(LocalS3.CLIENT_ENVIRONMENT);
    env.putAll(
        Map.of(
            "PIPELINE_CONFIG", config.toString(),
            "SHARD_STATE_BUCKET", STATE,
            "SHARD_STATE_TABLE", STATE,
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "FAILURE_DIR", folder.resolve("failures").toString()));
    Exception e = assertThrows(Exception.class, () -> new SpanMetricsFunction(new FolderRuntime(env), ShardLineage.none()));
    assertTrue(e.getMessage().contains("SPAN_METRICS_TABLE"), e.getMessage());
  }
}
