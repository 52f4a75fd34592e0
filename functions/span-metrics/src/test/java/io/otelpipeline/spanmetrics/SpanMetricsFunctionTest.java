package io.otelpipeline.spanmetrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
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
import io.otelpipeline.core.servicegraph.DynamoDbPendingEdgeStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The handler on the event that {@code sam local invoke -e events/span-metrics-kinesis.json} sends. */
class SpanMetricsFunctionTest {
  private static final String EVENT = "../../events/span-metrics-kinesis.json";
  private static final String TABLE = "span-metrics-state";

  @TempDir Path folder;
  private DynamoDBProxyServer dynamo;
  private int dynamoPort;
  private HttpServer backend;
  private final List<ExportMetricsServiceRequest> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      dynamoPort = s.getLocalPort();
    }
    dynamo = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(dynamoPort)});
    dynamo.start();
    try (DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
            .region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      client.createTable(
          b -> b.tableName(TABLE)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(
                  AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                  AttributeDefinition.builder().attributeName("dueBucket").attributeType(ScalarAttributeType.S).build(),
                  AttributeDefinition.builder().attributeName("dueAt").attributeType(ScalarAttributeType.N).build())
              .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
              .globalSecondaryIndexes(
                  GlobalSecondaryIndex.builder()
                      .indexName(DynamoDbPendingEdgeStore.DUE_INDEX)
                      .keySchema(
                          KeySchemaElement.builder().attributeName("dueBucket").keyType(KeyType.HASH).build(),
                          KeySchemaElement.builder().attributeName("dueAt").keyType(KeyType.RANGE).build())
                      .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                      .build()));
    }
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
    dynamo.stop();
  }

  private SpanMetricsFunction function() {
    return new SpanMetricsFunction(
        Map.of(
            "SPAN_METRICS_TABLE", TABLE,
            "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamoPort,
            "EXPORT_OTLP_ENDPOINT", "http://127.0.0.1:" + backend.getAddress().getPort(),
            "FAILURE_DIR", folder.resolve("failures").toString()));
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
    SpanMetricsFunction function = function();
    StreamsEventResponse first = function.handleRequest(event, null);
    StreamsEventResponse retry = function.handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
    assertTrue(first.getBatchItemFailures().isEmpty());
    assertTrue(retry.getBatchItemFailures().isEmpty());
    assertEquals(1, received.size(), "the retried batch exports nothing more");
    assertEquals(1, sum("traces.span.metrics.calls", "service.name", "frontend"));
    assertEquals(1, sum("traces.span.metrics.calls", "service.name", "checkout"));
    assertEquals(1, sum("traces_service_graph_request_total", "client", "frontend"));
    assertEquals(1, sum("traces_service_graph_request_failed_total", "server", "checkout"));
  }
}
