package io.otelpipeline.tracesampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.stream.ShardTicks;
import io.otelpipeline.core.stream.StreamWriter;
import io.otelpipeline.core.stream.TickWriter;
import io.otelpipeline.core.stream.WriteOutcome;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.FolderRuntime;
import io.otelpipeline.core.testing.LocalDynamoDb;
import io.otelpipeline.core.testing.LocalS3;
import io.otelpipeline.core.testing.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handlers built from their environment, as the local stack builds them, on the event that
 * {@code sam local invoke -e events/trace-sampler-kinesis.json} sends (two records of spans, then a
 * tick past decision_wait): S3Proxy and DynamoDB Local for the shard states, a local HTTP server as the backend, a
 * stream never resharded.
 */
class TraceSamplerFunctionTest {
  private static final String EVENT = "../../events/trace-sampler-kinesis.json";

  @TempDir Path folder;
  private LocalDynamoDb dynamo;
  private LocalS3 s3;
  private HttpServer backend;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    dynamo = LocalDynamoDb.start().create(TableSpec.shardState("shard-state"));
    s3 = LocalS3.start().create("shard-state");
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/v1/traces",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
              body = in.readAllBytes();
            }
          }
          received.add(body);
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

  private Map<String, String> environment() throws Exception {
    Path config = folder.resolve("pipeline.yaml");
    Files.writeString(
        config,
        """
        processors:
          tail_sampling:
            decision_wait: 5s
            policies:
              - name: errors
                type: status_code
                status_code: {status_codes: [ERROR]}
        """);
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamo.endpoint().toString());
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    env.putAll(LocalS3.CLIENT_ENVIRONMENT);
    env.put("SHARD_STATE_BUCKET", "shard-state");
    env.put("SHARD_STATE_TABLE", "shard-state");
    env.put("PIPELINE_CONFIG", config.toString());
    env.put("EXPORT_OTLP_ENDPOINT", "http://127.0.0.1:" + backend.getAddress().getPort());
    env.put("FAILURE_DIR", folder.resolve("failures").toString());
    env.put("TAIL_SAMPLING_RECORD_POLICY", "true");
    return env;
  }

  @Test
  void keepsTheTraceWithAnErrorWholeAndDropsTheOther() throws Exception {
    KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);

    TraceSamplerFunction function = new TraceSamplerFunction(
        SamplerWiring.sampler(new FolderRuntime(environment()), ShardLineage.none(), ShardTicks.none(), Telemetry.noop(), Clock.systemUTC()), Clock.systemUTC());
    StreamsEventResponse response = function.handleRequest(event, null);

    assertEquals(List.of(), response.getBatchItemFailures());
    List<Span> spans = new ArrayList<>();
    List<ScopeSpans> scopes = new ArrayList<>();
    for (byte[] body : received) {
      ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> {
        spans.addAll(ss.getSpansList());
        scopes.add(ss);
      }));
    }
    assertEquals(List.of("GET /checkout", "POST /pay"), spans.stream().map(Span::getName).sorted().toList());
    for (ScopeSpans ss : scopes) {
      assertEquals(
          List.of("errors"),
          ss.getScope().getAttributesList().stream().filter(kv -> kv.getKey().equals("tailsampling.policy")).map(KeyValue::getValue)
              .map(v -> v.getStringValue()).toList(),
          "TAIL_SAMPLING_RECORD_POLICY=true records the deciding policy on the scope, as the Collector's recordpolicy gate does");
    }
  }

  @Test
  void theTickFunctionTicksEveryOpenShardOfTheTracesStream() {
    List<PackedRecord> written = new ArrayList<>();
    StreamWriter writer = (stream, records, deadline) -> {
      assertEquals("traces", stream);
      written.addAll(records);
      return new WriteOutcome(records.size(), 0, 0, 0, false, null);
    };
    TraceTickFunction function = new TraceTickFunction(new TickWriter(name -> ShardMap.evenlySplit(3), writer), "traces", Clock.systemUTC());

    assertEquals(Map.of("shardsTicked", 3), function.handleRequest(Map.of(), null));
    assertEquals(ShardMap.evenlySplit(3).shards().stream().map(ShardMap.ShardRange::startingHashKey).toList(),
        written.stream().map(PackedRecord::explicitHashKey).toList());
    assertTrue(written.stream().allMatch(r -> Tick.is(r.data())));
  }
}
