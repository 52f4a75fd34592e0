package io.otelpipeline.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Lambda Function URL on a local port: each HTTP request becomes the payload format 2.0 event
 * Lambda sends, the function's response becomes the HTTP response. What Lambda refuses before the
 * function runs is refused here too: an event over the synchronous payload limit (the body counts
 * as it travels in the event: base64 unless it is text), with Lambda's own answer rather than the
 * function's. CORS is Lambda's too: preflights are answered without the function.
 */
final class FunctionUrlFront implements AutoCloseable {
  /** Lambda's limit on a synchronous invocation's request payload: the whole event, as JSON. */
  static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
  /** Content types whose bodies Lambda passes as text rather than base64 (when not content-encoded). */
  private static final List<String> TEXT_TYPES = List.of("text/", "application/json", "application/javascript", "application/xml");
  private static final ObjectMapper EVENT_JSON = new ObjectMapper();

  private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final LocalFunction function;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Optional<UrlCors> cors;

  private FunctionUrlFront(LocalFunction function, HttpServer server, ExecutorService executor) {
    this.function = function;
    this.server = server;
    this.executor = executor;
    this.cors = function.spec().urlCors();
  }

  static FunctionUrlFront start(LocalFunction function, int port) {
    function.requireEventType(APIGatewayV2HTTPEvent.class, "its FunctionUrlConfig");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 64);
    } catch (IOException e) {
      throw new IllegalStateException(function.spec().logicalId() + ": cannot listen on port " + port + " (" + e.getMessage()
          + "); is another local stack running? Set another port with OTLP_HTTP_PORT / TARGETS_HTTP_PORT", e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(8, daemon(function.spec().logicalId() + "-url"));
    FunctionUrlFront front = new FunctionUrlFront(function, server, executor);
    server.createContext("/", front::handle);
    server.setExecutor(executor);
    server.start();
    return front;
  }

  /** The base URL, without a trailing slash. */
  String url() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String origin = exchange.getRequestHeaders().getFirst("origin");
      if (cors.isPresent() && exchange.getRequestMethod().equalsIgnoreCase("OPTIONS")) {
        respond(exchange, 200, preflight(cors.get(), origin, exchange.getRequestHeaders().getFirst("access-control-request-method")), new byte[0]);
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        // base64 makes a body a third larger: past this, no event can be under the limit
        body = in.readNBytes(MAX_EVENT_BYTES + 1);
      }
      APIGatewayV2HTTPEvent event = event(exchange, body);
      int eventBytes = body.length > MAX_EVENT_BYTES ? body.length : EVENT_JSON.writeValueAsBytes(event).length;
      if (eventBytes > MAX_EVENT_BYTES) {
        respond(exchange, 413, Map.of("content-type", "application/json"),
            ("{\"Message\":\"Request must be smaller than " + MAX_EVENT_BYTES + " bytes for the InvokeFunction operation\"}")
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      APIGatewayV2HTTPResponse response;
      try {
        Object result = function.invoke(event);
        if (!(result instanceof APIGatewayV2HTTPResponse r)) {
          throw new IllegalStateException("the function returned " + (result == null ? "null" : result.getClass().getName()));
        }
        response = r;
      } catch (RuntimeException e) {
        System.err.println("[" + function.spec().logicalId() + "] " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " failed: " + e);
        respond(exchange, 502, Map.of("content-type", "application/json"), "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] out = response.getBody() == null ? new byte[0]
          : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody()) : response.getBody().getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = new LinkedHashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
      cors.flatMap(c -> c.allowedOrigin(origin)).ifPresent(allowed -> {
        headers.put("access-control-allow-origin", allowed);
        headers.put("vary", "Origin");
      });
      if (response.getCookies() != null) {
        response.getCookies().forEach(c -> exchange.getResponseHeaders().add("set-cookie", c));
      }
      respond(exchange, response.getStatusCode() == 0 ? 200 : response.getStatusCode(), headers, out);
    }
  }

  private APIGatewayV2HTTPEvent event(HttpExchange exchange, byte[] body) {
    URI uri = exchange.getRequestURI();
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    exchange.getRequestHeaders().forEach((name, values) -> {
      String key = name.toLowerCase(Locale.ROOT);
      if (key.equals("cookie")) {
        values.forEach(v -> List.of(v.split(";\\s*")).forEach(cookies::add));
      } else {
        headers.put(key, String.join(",", values));
      }
    });
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.merge(key, value, (a, b) -> a + "," + b);
      }
    }
    Instant now = Instant.now();
    String requestId = UUID.randomUUID().toString();
    String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
    String domain = headers.getOrDefault("host", "localhost");
    return APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey("$default")
        .withRawPath(uri.getRawPath())
        .withRawQueryString(uri.getRawQuery() == null ? "" : uri.getRawQuery())
        .withCookies(cookies.isEmpty() ? null : cookies)
        .withHeaders(headers)
        .withQueryStringParameters(query.isEmpty() ? null : query)
        .withBody(text(headers) ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
        .withIsBase64Encoded(!text(headers))
        .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
            .withAccountId("anonymous")
            .withApiId("local")
            .withDomainName(domain)
            .withDomainPrefix("local")
            .withRequestId(requestId)
            .withRouteKey("$default")
            .withStage("$default")
            .withTime(REQUEST_TIME.format(now))
            .withTimeEpoch(now.toEpochMilli())
            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(exchange.getRequestMethod())
                .withPath(uri.getRawPath())
                .withProtocol(exchange.getProtocol())
                .withSourceIp(sourceIp)
                .withUserAgent(headers.get("user-agent"))
                .build())
            .build())
        .build();
  }

  /** Whether Lambda hands this request's body to the function as text rather than base64. */
  private static boolean text(Map<String, String> headers) {
    String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    return !headers.containsKey("content-encoding") && TEXT_TYPES.stream().anyMatch(type::startsWith);
  }

  /** Lambda's answer to a preflight: the allow headers when the origin and method are allowed, none otherwise. */
  private static Map<String, String> preflight(UrlCors cors, String origin, String method) {
    Map<String, String> headers = new LinkedHashMap<>();
    Optional<String> allowed = cors.allowedOrigin(origin);
    if (allowed.isPresent() && cors.allowsMethod(method)) {
      headers.put("access-control-allow-origin", allowed.get());
      headers.put("access-control-allow-methods", String.join(",", cors.allowMethods()));
      headers.put("access-control-allow-headers", String.join(",", cors.allowHeaders()));
      if (cors.maxAgeSeconds() > 0) {
        headers.put("access-control-max-age", Integer.toString(cors.maxAgeSeconds()));
      }
      headers.put("vary", "Origin");
    }
    return headers;
  }

  private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
