package io.otelpipeline.core.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic trace export requests: several services (resources), each span with 10 to 30
 * attributes of the kinds instrumentation libraries set, traces spread over the services.
 */
public final class TraceCorpus {
  private static final String[] SERVICES = {"frontend", "cart", "checkout", "payment", "shipping", "currency"};
  private static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/products/{id}", "/api/recommendations", "/api/currency"};

  private static final String[] EXTRA_KEYS = {"app.feature_flag", "app.product.id", "app.currency"};
  private static final String[] EXTRA_VALUES = {"OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N", "USD", "EUR", "JPY", "true", "false"};

  private TraceCorpus() {}

  /** One request of {@code spans} spans over about {@code traces} traces, reproducible for a seed. */
  public static ExportTraceServiceRequest request(long seed, int spans, int traces) {
    Random random = new Random(seed);
    byte[][] traceIds = new byte[traces][];
    for (int t = 0; t < traces; t++) {
      traceIds[t] = new byte[16];
      random.nextBytes(traceIds[t]);
    }
    List<List<Span>> byService = new ArrayList<>();
    for (int s = 0; s < SERVICES.length; s++) {
      byService.add(new ArrayList<>());
    }
    long now = 1_700_000_000_000_000_000L;
    for (int i = 0; i < spans; i++) {
      int trace = i % traces;
      int service = random.nextInt(SERVICES.length);
      byte[] spanId = new byte[8];
      random.nextBytes(spanId);
      long start = now + random.nextInt(1_000_000) * 1000L;
      Span.Builder span = Span.newBuilder()
          .setTraceId(ByteString.copyFrom(traceIds[trace]))
          .setSpanId(ByteString.copyFrom(spanId))
          .setName(random.nextBoolean() ? "GET " + ROUTES[random.nextInt(ROUTES.length)] : "SELECT products")
          .setKind(random.nextBoolean() ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + 1_000_000L + random.nextInt(200_000_000))
          .setStatus(Status.newBuilder().setCode(random.nextInt(20) == 0 ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET));
      if (i >= traces) {
        byte[] parent = new byte[8];
        random.nextBytes(parent);
        span.setParentSpanId(ByteString.copyFrom(parent));
      }
      int attributes = 10 + random.nextInt(21);
      for (int a = 0; a < attributes; a++) {
        span.addAttributes(attribute(random, a));
      }
      byService.get(service).add(span.build());
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int s = 0; s < SERVICES.length; s++) {
      if (byService.get(s).isEmpty()) {
        continue;
      }
      request.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder()
              .addAttributes(kv("service.name", SERVICES[s]))
              .addAttributes(kv("service.version", "1.4." + s))
              .addAttributes(kv("deployment.environment", "production"))
              .addAttributes(kv("host.name", "ip-10-0-" + s + "-17.ec2.internal"))
              .addAttributes(kv("telemetry.sdk.language", "java"))
              .addAttributes(kv("telemetry.sdk.version", "1.50.0")))
          .addScopeSpans(ScopeSpans.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp-3.0").setVersion("2.14.0-alpha"))
              .addAllSpans(byService.get(s)))
          .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"));
    }
    return request.build();
  }

  private static KeyValue attribute(Random random, int index) {
    return switch (index % 10) {
      case 0 -> kv("http.request.method", random.nextBoolean() ? "GET" : "POST");
      case 1 -> KeyValue.newBuilder().setKey("http.response.status_code").setValue(AnyValue.newBuilder().setIntValue(random.nextInt(10) == 0 ? 500 : 200)).build();
      case 2 -> kv("url.path", ROUTES[random.nextInt(ROUTES.length)]);
      case 3 -> kv("server.address", "api.shop.example.com");
      case 4 -> kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0");
      case 5 -> kv("db.system", "postgresql");
      case 6 -> kv("db.statement", "SELECT id, name, price FROM products WHERE id = $" + random.nextInt(50));
      case 7 -> KeyValue.newBuilder().setKey("app.cart.items").setValue(AnyValue.newBuilder().setIntValue(random.nextInt(12))).build();
      case 8 -> kv("app.user.id", "user-" + random.nextInt(100_000));
      default -> kv(EXTRA_KEYS[index / 10], EXTRA_VALUES[random.nextInt(EXTRA_VALUES.length)]);
    };
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
