package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.auth.BearerTokens;
import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.ingest.IngestLimits;
import io.otelpipeline.core.ingest.IngestRequest;
import io.otelpipeline.core.ingest.IngestResponse;
import io.otelpipeline.core.ingest.OtlpReceiver;
import io.otelpipeline.core.ingest.SignalRoutes;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.stream.KinesisShardMapSource;
import io.otelpipeline.core.stream.KinesisStreamWriter;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.ingest.IngestFunction;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The ingest function against kinesis-mock through the real SDK client: read back, every span once, every trace on one shard. */
class IngestStreamIT {
  private static final Path HOME = Path.of(System.getProperty("local.home", "target/local"));
  private static final String TOKEN = "it-token";
  private static KinesisMock mock;
  private static KinesisClient kinesis;
  private static final AtomicInteger STREAMS = new AtomicInteger();

  @BeforeAll
  static void start() {
    mock = KinesisMock.start(HOME, "us-east-1");
    kinesis = new AwsClients(environment(Map.of())).kinesis();
  }

  @AfterAll
  static void stop() {
    kinesis.close();
    mock.close();
  }

  private static FunctionEnvironment environment(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of(
        "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local",
        "AWS_ENDPOINT_URL_KINESIS", mock.endpoint().toString(), "INGEST_TOKENS", TOKEN));
    env.putAll(extra);
    return new FunctionEnvironment(env);
  }

  private static String stream(int shards) throws InterruptedException {
    String name = "it-traces-" + STREAMS.incrementAndGet();
    kinesis.createStream(b -> b.streamName(name).shardCount(shards));
    while (kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
      Thread.sleep(20);
    }
    return name;
  }

  @Test
  void everySpanArrivesOnceAndEveryTraceOnOneShardOfAFourShardStream() throws Exception {
    String traces = stream(4);
    Map<String, String> env = Map.of("TRACES_STREAM", traces, "METRICS_STREAM", stream(1), "LOGS_STREAM", stream(1));
    Map<String, String> full = new HashMap<>(environment(env).variables());
    List<ExportTraceServiceRequest> requests = requests(30, 12, 6);
    IngestFunction function = LocalRuntime.as(LocalRuntime.of(full), IngestFunction::new);
    for (ExportTraceServiceRequest request : requests) {
      APIGatewayV2HTTPResponse response = function.handleRequest(event(request.toByteArray()), null);
      assertEquals(200, response.getStatusCode());
    }
    assertDeliveredOnceAndByTrace(traces, requests);
  }

  @Test
  void entriesThatPutRecordsRefusesAreRetriedAloneAndArriveOnce() throws Exception {
    String traces = stream(4);
    AtomicInteger refused = new AtomicInteger();
    try (KinesisClient flaky = KinesisClient.builder()
        .endpointOverride(URI.create(mock.endpoint().toString()))
        .region(Region.US_EAST_1)
        .credentialsProvider(new AwsClients(environment(Map.of())).credentials())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new RefuseEveryOtherEntry(3, refused)))
        .build()) {
      OtlpReceiver receiver = receiver(flaky, traces);
      List<ExportTraceServiceRequest> requests = requests(10, 12, 6);
      for (ExportTraceServiceRequest request : requests) {
        IngestResponse response = receiver.handle(new IngestRequest("POST", "/v1/traces",
            Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/x-protobuf"), request.toByteArray(),
            Instant.now().plusSeconds(10)));
        assertEquals(200, response.status());
      }
      assertTrue(refused.get() > 0, "the interceptor refused entries");
      assertDeliveredOnceAndByTrace(traces, requests);
    }
  }

  @Test
  void entriesStillRefusedAtTheDeadlineMakeTheRequestRetryable() throws Exception {
    String traces = stream(2);
    try (KinesisClient flaky = KinesisClient.builder()
        .endpointOverride(URI.create(mock.endpoint().toString()))
        .region(Region.US_EAST_1)
        .credentialsProvider(new AwsClients(environment(Map.of())).credentials())
        .overrideConfiguration(c -> c.addExecutionInterceptor(new ThrottleEveryCall()))
        .build()) {
      IngestResponse response = receiver(flaky, traces).handle(new IngestRequest("POST", "/v1/traces",
          Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/x-protobuf"), requests(1, 40, 10).get(0).toByteArray(),
          Instant.now().plusMillis(300)));
      assertEquals(429, response.status());
      assertEquals("2", response.headers().get("Retry-After"));
    }
  }

  private static OtlpReceiver receiver(KinesisClient client, String traces) {
    KinesisStreamWriter writer = new KinesisStreamWriter(client);
    SignalRoutes routes = new SignalRoutes(Map.of(Signal.TRACES, traces), Compression.ZSTD, new KinesisShardMapSource(client), writer, Clock.systemUTC());
    return new OtlpReceiver(BearerTokens.parse(TOKEN), IngestLimits.defaults(), routes, Telemetry.noop());
  }

  private static void assertDeliveredOnceAndByTrace(String stream, List<ExportTraceServiceRequest> sent) throws Exception {
    List<StreamReadback.StoredSpan> stored = StreamReadback.spans(kinesis, stream);
    Map<ByteString, Integer> counts = StreamReadback.countsBySpanId(stored);
    Map<ByteString, java.util.Set<String>> shardsByTrace = StreamReadback.shardsByTrace(stored);
    shardsByTrace.forEach((trace, shards) -> assertEquals(1, shards.size(), "trace split over shards " + shards));
    int expected = 0;
    for (ExportTraceServiceRequest r : sent) {
      for (ResourceSpans rs : r.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            expected++;
            assertEquals(1, counts.getOrDefault(span.getSpanId(), 0), "span delivered other than once");
          }
        }
      }
    }
    assertEquals(expected, counts.size());
    assertTrue(shardsByTrace.values().stream().distinct().count() > 1, "traces spread over several shards");
  }

  /** Requests whose traces span several requests, as an SDK's batch exports do. */
  private static List<ExportTraceServiceRequest> requests(int count, int tracesPerRequest, int spansPerTrace) {
    Random random = new Random(count * 31L + tracesPerRequest);
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    byte[][] open = new byte[tracesPerRequest][];
    for (int r = 0; r < count; r++) {
      ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
      for (String service : List.of("frontend", "checkout")) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int t = 0; t < tracesPerRequest; t++) {
          if (open[t] == null || random.nextInt(3) == 0) {
            open[t] = new byte[16];
            random.nextBytes(open[t]);
          }
          for (int s = 0; s < spansPerTrace / 2; s++) {
            byte[] spanId = new byte[8];
            random.nextBytes(spanId);
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(open[t])).setSpanId(ByteString.copyFrom(spanId))
                .setName("op-" + s).setStartTimeUnixNano(1).setEndTimeUnixNano(2));
          }
        }
        request.addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
            .addScopeSpans(scope));
      }
      out.add(request.build());
    }
    return out;
  }

  private static APIGatewayV2HTTPEvent event(byte[] body) {
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRawPath("/v1/traces");
    event.setHeaders(Map.of("content-type", "application/x-protobuf", "authorization", "Bearer " + TOKEN));
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath("/v1/traces").build()).build());
    event.setBody(Base64.getEncoder().encodeToString(body));
    event.setIsBase64Encoded(true);
    return event;
  }

  /** Every PutRecords call is refused as throttled, as when a stream is far past its shards' limits. */
  private static final class ThrottleEveryCall implements ExecutionInterceptor {
    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutRecordsRequest) {
        throw ProvisionedThroughputExceededException.builder().message("Rate exceeded for stream").build();
      }
      return context.request();
    }
  }

  /**
   * Makes PutRecords fail the way Kinesis does under throttling: for the first {@code calls} calls,
   * every other entry is taken out of the request (so it is not written) and reported back as
   * ProvisionedThroughputExceededException at its position.
   */
  private static final class RefuseEveryOtherEntry implements ExecutionInterceptor {
    private final int calls;
    private final AtomicInteger refused;
    private final AtomicInteger seen = new AtomicInteger();
    private final ThreadLocal<int[]> refusedPositions = new ThreadLocal<>();

    RefuseEveryOtherEntry(int calls, AtomicInteger refused) {
      this.calls = calls;
      this.refused = refused;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (!(context.request() instanceof PutRecordsRequest put) || seen.incrementAndGet() > calls || put.records().size() < 2) {
        refusedPositions.set(null);
        return context.request();
      }
      List<PutRecordsRequestEntry> kept = new ArrayList<>();
      int[] positions = new int[put.records().size()];
      for (int i = 0; i < put.records().size(); i++) {
        positions[i] = i % 2;
        if (i % 2 == 0) {
          kept.add(put.records().get(i));
        }
      }
      refusedPositions.set(positions);
      refused.addAndGet(put.records().size() - kept.size());
      return put.toBuilder().records(kept).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
      int[] positions = refusedPositions.get();
      if (positions == null || !(context.response() instanceof PutRecordsResponse response)) {
        return context.response();
      }
      List<PutRecordsResultEntry> results = new ArrayList<>();
      int next = 0;
      int failed = 0;
      for (int position : positions) {
        if (position == 0) {
          results.add(response.records().get(next++));
        } else {
          failed++;
          results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
              .errorMessage("Rate exceeded for shard").build());
        }
      }
      return response.toBuilder().records(results).failedRecordCount(response.failedRecordCount() + failed).build();
    }
  }
}
