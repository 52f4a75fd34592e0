package io.otelpipeline.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The Lambda Invoke API on a local port, for functions that invoke others through the SDK
 * (AWS_ENDPOINT_URL_LAMBDA): {@code Event} invocations run in the background and answer 202,
 * {@code RequestResponse} ones answer the function's result as JSON.
 */
final class LambdaApi implements AutoCloseable {
  private static final String PREFIX = "/2015-03-31/functions/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService invocations;
  private final Function<String, LocalFunction> functions;

  private LambdaApi(HttpServer server, ExecutorService invocations, Function<String, LocalFunction> functions) {
    this.server = server;
    this.invocations = invocations;
    this.functions = functions;
  }

  /** {@code functions} finds a function by name, ARN or logical id, or returns null. */
  static LambdaApi start(Function<String, LocalFunction> functions) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService invocations = Executors.newCachedThreadPool(FunctionUrlFront.daemon("lambda-async-invoke"));
      LambdaApi api = new LambdaApi(server, invocations, functions);
      server.createContext(PREFIX, api::handle);
      server.setExecutor(Executors.newFixedThreadPool(4, FunctionUrlFront.daemon("lambda-api")));
      server.start();
      return api;
    } catch (IOException e) {
      throw new IllegalStateException("the local Lambda API cannot listen: " + e.getMessage(), e);
    }
  }

  String endpoint() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    invocations.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (!path.endsWith("/invocations") || !exchange.getRequestMethod().equals("POST")) {
        send(exchange, 404, error("ResourceNotFoundException", "only Invoke is served locally, not " + path));
        return;
      }
      String name = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - "/invocations".length()), StandardCharsets.UTF_8);
      LocalFunction function = functions.apply(name);
      if (function == null) {
        send(exchange, 404, error("ResourceNotFoundException", "Function not found: " + name));
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Object event = JSON.readValue(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body, function.eventType());
      if ("Event".equals(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"))) {
        invocations.submit(() -> {
          try {
            function.invoke(event);
          } catch (RuntimeException e) {
            System.err.println("[" + function.spec().logicalId() + "] asynchronous invocation failed: " + e.getMessage());
          }
        });
        send(exchange, 202, new byte[0]);
        return;
      }
      try {
        send(exchange, 200, JSON.writeValueAsBytes(function.invoke(event)));
      } catch (LocalFunction.FunctionError e) {
        exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        send(exchange, 200, JSON.writeValueAsBytes(Map.of("errorMessage", String.valueOf(e.getCause().getMessage()),
            "errorType", e.getCause().getClass().getName())));
      }
    }
  }

  private static byte[] error(String type, String message) throws IOException {
    return JSON.writeValueAsBytes(Map.of("Type", "User", "message", message, "__type", type));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
