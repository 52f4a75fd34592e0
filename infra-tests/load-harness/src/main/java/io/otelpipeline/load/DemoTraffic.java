package io.otelpipeline.load;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Traces shaped like the OpenTelemetry Demo's shop: a visitor's request enters the frontend
 * (SERVER) and fans out over gRPC (a CLIENT span in the caller, a SERVER span in the callee) to
 * cart, checkout, payment, shipping, email, currency, product-catalog, recommendation and ad.
 * Four journeys in the demo's load generator's proportions: the home page, a product page, adding
 * to the cart and checking out. A share of traces fail (a payment refused, a product lookup
 * failing, as the demo's feature flags make them) and a share are slow (the recommendation
 * cache, the ad service). Each trace is recorded as having just ended.
 */
final class DemoTraffic {
  /** The services, each with its own SDK (its own resource, batch processor and exporter), as in the demo. */
  static final List<String> SERVICES = List.of(
      "frontend", "cart", "checkout", "payment", "shipping", "email", "currency", "product-catalog", "recommendation", "ad");

  private static final List<String> PRODUCTS = List.of(
      "OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N", "0PUK6V6EV0", "LS4PSXUNUM", "9SIQT8TOJO", "6E92ZMYYFZ", "HQTGWGPNH4");
  private static final List<String> CURRENCIES = List.of("USD", "EUR", "CAD", "JPY", "GBP", "TRY");
  /** The product the demo's productCatalogFailure flag breaks. */
  private static final String FAILING_PRODUCT = "OLJCESPC7Z";

  private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  private static final AttributeKey<Long> RPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> PRODUCT_ID = AttributeKey.stringKey("app.product.id");
  private static final AttributeKey<String> CURRENCY = AttributeKey.stringKey("app.currency.conversion.to");
  private static final AttributeKey<Long> CART_ITEMS = AttributeKey.longKey("app.cart.items.count");
  private static final AttributeKey<Double> PAYMENT_AMOUNT = AttributeKey.doubleKey("app.payment.amount");
  private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("app.order.id");
  private static final AttributeKey<String> TRACKING_ID = AttributeKey.stringKey("app.shipping.tracking.id");
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");

  private final Map<String, Tracer> tracers;
  private final double errorShare;
  private final double slowShare;
  private final SplittableRandom random;

  /**
   * @param tracers one tracer per name of {@link #SERVICES}
   * @param errorShare the share of traces that fail, 0..1
   * @param slowShare the share of traces with a slow call, 0..1
   */
  DemoTraffic(Map<String, Tracer> tracers, double errorShare, double slowShare, long seed) {
    for (String service : SERVICES) {
      if (!tracers.containsKey(service)) {
        throw new IllegalArgumentException("no tracer for the demo service " + service);
      }
    }
    this.tracers = Map.copyOf(tracers);
    this.errorShare = errorShare;
    this.slowShare = slowShare;
    this.random = new SplittableRandom(seed);
  }

  /** What one call to {@link #trace} recorded. */
  record Emitted(int spans, boolean error, boolean slow) {}

  /** Records one whole trace that ends at {@code endNanos} (epoch nanoseconds). */
  Emitted trace(long endNanos) {
    boolean error = random.nextDouble() < errorShare;
    boolean slow = random.nextDouble() < slowShare;
    double journey = random.nextDouble();
    Journey j = new Journey(error, slow);
    if (journey < 0.3) {
      j.home(endNanos);
    } else if (journey < 0.7) {
      j.product(endNanos);
    } else if (journey < 0.9) {
      j.addToCart(endNanos);
    } else {
      j.checkout(endNanos);
    }
    return new Emitted(j.spans, error, slow);
  }

  /** One trace being built: calls laid out back to back from the root's start. */
  private final class Journey {
    private final boolean error;
    private final boolean slow;
    private int spans;

    Journey(boolean error, boolean slow) {
      this.error = error;
      this.slow = slow;
    }

    void home(long end) {
      String currency = pick(CURRENCIES);
      long slowMs = slow ? 1500 + random.nextInt(1500) : 0;
      long duration = ms(40 + random.nextInt(60) + slowMs);
      long start = end - duration;
      Span root = server("frontend", "GET /", start, Attributes.builder().put(HTTP_METHOD, "GET").put(HTTP_ROUTE, "/").put(URL_PATH, "/")
          .put(USER_AGENT, "python-requests/2.31.0").put(SERVER_ADDRESS, "frontend-proxy").build());
      Context in = Context.root().with(root);
      long t = start + ms(2);
      t = rpc(in, "frontend", "currency", "oteldemo.CurrencyService", "GetSupportedCurrencies", t, ms(3), false, Attributes.empty(), null);
      t = rpc(in, "frontend", "product-catalog", "oteldemo.ProductCatalogService", "ListProducts", t, ms(8), false, Attributes.empty(), null);
      rpc(in, "frontend", "ad", "oteldemo.AdService", "GetAds", t, ms(6) + slowMs * 1_000_000, false, Attributes.of(CURRENCY, currency), null);
      endRoot(root, end, error ? 500 : 200);
    }

    void product(long end) {
      String product = pick(PRODUCTS);
      boolean productFails = error && (product.equals(FAILING_PRODUCT) || random.nextBoolean());
      long slowMs = slow ? 1500 + random.nextInt(2000) : 0;
      long duration = ms(60 + random.nextInt(80) + slowMs);
      long start = end - duration;
      Span root = server("frontend", "GET /api/products/{productId}", start, Attributes.builder().put(HTTP_METHOD, "GET")
          .put(HTTP_ROUTE, "/api/products/{productId}").put(URL_PATH, "/api/products/" + product).put(PRODUCT_ID, product).build());
      Context in = Context.root().with(root);
      long t = start + ms(2);
      t = rpc(in, "frontend", "product-catalog", "oteldemo.ProductCatalogService", "GetProduct", t, ms(5), productFails,
          Attributes.of(PRODUCT_ID, product), null);
      if (!productFails) {
        t = rpc(in, "frontend", "currency", "oteldemo.CurrencyService", "Convert", t, ms(2), false, Attributes.of(CURRENCY, pick(CURRENCIES)), null);
        long recommend = ms(12) + slowMs * 1_000_000;
        t = rpc(in, "frontend", "recommendation", "oteldemo.RecommendationService", "ListRecommendations", t, recommend, false,
            Attributes.of(PRODUCT_ID, product),
            inner -> rpc(inner.context(), "recommendation", "product-catalog", "oteldemo.ProductCatalogService", "ListProducts",
                inner.start() + ms(1), ms(6), false, Attributes.empty(), null));
        rpc(in, "frontend", "ad", "oteldemo.AdService", "GetAds", t, ms(4), false, Attributes.empty(), null);
      }
      endRoot(root, end, productFails || error ? 500 : 200);
    }

    void addToCart(long end) {
      String product = pick(PRODUCTS);
      long slowMs = slow ? 1200 + random.nextInt(1500) : 0;
      long duration = ms(20 + random.nextInt(30) + slowMs);
      long start = end - duration;
      Span root = server("frontend", "POST /api/cart", start, Attributes.builder().put(HTTP_METHOD, "POST").put(HTTP_ROUTE, "/api/cart")
          .put(URL_PATH, "/api/cart").put(PRODUCT_ID, product).build());
      Context in = Context.root().with(root);
      rpc(in, "frontend", "cart", "oteldemo.CartService", "AddItem", start + ms(2), ms(6) + slowMs * 1_000_000, error,
          Attributes.of(PRODUCT_ID, product),
          inner -> {
            Span db = tracers.get("cart").spanBuilder("HGET").setParent(inner.context()).setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(inner.start() + ms(1), TimeUnit.NANOSECONDS)
                .setAllAttributes(Attributes.builder().put(DB_SYSTEM, "redis").put(DB_OPERATION, "HGET").put(SERVER_ADDRESS, "valkey-cart")
                    .put(SERVER_PORT, 6379L).build())
                .startSpan();
            spans++;
            db.end(inner.start() + ms(2), TimeUnit.NANOSECONDS);
            return inner.start() + ms(2);
          });
      endRoot(root, end, error ? 500 : 200);
    }

    void checkout(long end) {
      String order = Long.toHexString(random.nextLong());
      int items = 1 + random.nextInt(4);
      long slowMs = slow ? 1500 + random.nextInt(2500) : 0;
      long duration = ms(150 + random.nextInt(150) + slowMs);
      long start = end - duration;
      Span root = server("frontend", "POST /api/checkout", start, Attributes.builder().put(HTTP_METHOD, "POST")
          .put(HTTP_ROUTE, "/api/checkout").put(URL_PATH, "/api/checkout").build());
      Context in = Context.root().with(root);
      double amount = Math.round(random.nextDouble() * 50000) / 100.0;
      rpc(in, "frontend", "checkout", "oteldemo.CheckoutService", "PlaceOrder", start + ms(3), duration - ms(6), error,
          Attributes.of(ORDER_ID, order, CART_ITEMS, (long) items),
          inner -> {
            Context c = inner.context();
            long t = inner.start() + ms(2);
            t = rpc(c, "checkout", "cart", "oteldemo.CartService", "GetCart", t, ms(4), false, Attributes.of(CART_ITEMS, (long) items), null);
            for (int i = 0; i < items; i++) {
              String product = pick(PRODUCTS);
              t = rpc(c, "checkout", "product-catalog", "oteldemo.ProductCatalogService", "GetProduct", t, ms(2), false, Attributes.of(PRODUCT_ID, product), null);
              t = rpc(c, "checkout", "currency", "oteldemo.CurrencyService", "Convert", t, ms(1), false, Attributes.of(CURRENCY, pick(CURRENCIES)), null);
            }
            t = rpc(c, "checkout", "shipping", "oteldemo.ShippingService", "GetQuote", t, ms(5) + slowMs * 1_000_000, false, Attributes.empty(), null);
            t = rpc(c, "checkout", "payment", "oteldemo.PaymentService", "Charge", t, ms(12), error, Attributes.of(PAYMENT_AMOUNT, amount), null);
            if (!error) {
              t = rpc(c, "checkout", "shipping", "oteldemo.ShippingService", "ShipOrder", t, ms(4), false,
                  Attributes.of(TRACKING_ID, Long.toHexString(random.nextLong())), null);
              t = rpc(c, "checkout", "cart", "oteldemo.CartService", "EmptyCart", t, ms(3), false, Attributes.empty(), null);
              t = rpc(c, "checkout", "email", "oteldemo.EmailService", "SendOrderConfirmation", t, ms(20), false, Attributes.of(ORDER_ID, order), null);
            }
            return t;
          });
      endRoot(root, end, error ? 500 : 200);
    }

    /** A gRPC call: the caller's CLIENT span around the callee's SERVER span; returns when it ended. */
    private long rpc(Context parent, String client, String server, String service, String method, long start, long duration,
        boolean failed, Attributes attributes, Inner inner) {
      Attributes rpc = Attributes.builder().put(RPC_SYSTEM, "grpc").put(RPC_SERVICE, service).put(RPC_METHOD, method).build();
      long code = failed ? 13 : 0;
      Span call = tracers.get(client).spanBuilder(service + "/" + method).setParent(parent).setSpanKind(SpanKind.CLIENT)
          .setStartTimestamp(start, TimeUnit.NANOSECONDS).setAllAttributes(rpc).setAllAttributes(attributes)
          .setAttribute(SERVER_ADDRESS, server).setAttribute(SERVER_PORT, 8080L).startSpan();
      long serverStart = start + Math.min(duration / 10, ms(1));
      long serverEnd = start + duration - Math.min(duration / 10, ms(1));
      Span handler = tracers.get(server).spanBuilder(service + "/" + method).setParent(Context.root().with(call))
          .setSpanKind(SpanKind.SERVER).setStartTimestamp(serverStart, TimeUnit.NANOSECONDS).setAllAttributes(rpc)
          .setAllAttributes(attributes).startSpan();
      spans += 2;
      if (inner != null) {
        inner.run(new Frame(Context.root().with(handler), serverStart));
      }
      handler.setAttribute(RPC_STATUS, code);
      call.setAttribute(RPC_STATUS, code);
      if (failed) {
        handler.setStatus(StatusCode.ERROR, method + " failed");
        call.setStatus(StatusCode.ERROR);
      }
      handler.end(serverEnd, TimeUnit.NANOSECONDS);
      call.end(start + duration, TimeUnit.NANOSECONDS);
      return start + duration;
    }

    private Span server(String service, String name, long start, Attributes attributes) {
      spans++;
      return tracers.get(service).spanBuilder(name).setSpanKind(SpanKind.SERVER).setStartTimestamp(start, TimeUnit.NANOSECONDS)
          .setAllAttributes(attributes).startSpan();
    }

    private void endRoot(Span root, long end, long status) {
      root.setAttribute(HTTP_STATUS, status);
      if (status >= 500) {
        root.setStatus(StatusCode.ERROR);
      }
      root.end(end, TimeUnit.NANOSECONDS);
    }

    private String pick(List<String> values) {
      return values.get(random.nextInt(values.size()));
    }
  }

  /** A callee's context and start, for calls it makes inside its SERVER span. */
  private record Frame(Context context, long start) {}

  @FunctionalInterface
  private interface Inner {
    long run(Frame frame);
  }

  private static long ms(long millis) {
    return millis * 1_000_000;
  }
}
