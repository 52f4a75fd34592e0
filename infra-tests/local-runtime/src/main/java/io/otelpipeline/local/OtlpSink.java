package io.otelpipeline.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP backend for tests: decodes protobuf (gzip or not) on /v1/traces, /v1/metrics and
 * /v1/logs and keeps what it accepted. It can be told to answer another status (503, or 429 with
 * Retry-After), or to hang, and to come back to 200.
 */
public final class OtlpSink implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ExportTraceServiceRequest> traceRequests = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
  private final List<ExportLogsServiceRequest> logRequests = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger refusedTraceRequests = new AtomicInteger();
  private volatile int status = 200;
  private volatile Integer retryAfterSeconds;
  private volatile CountDownLatch hang = new CountDownLatch(0);

  private OtlpSink(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Listens on a free local port. */
  public static OtlpSink start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor = Executors.newCachedThreadPool(FunctionUrlFront.daemon("otlp-sink"));
      OtlpSink sink = new OtlpSink(server, executor);
      server.createContext("/", sink::handle);
      server.setExecutor(executor);
      server.start();
      return sink;
    } catch (IOException e) {
      throw new IllegalStateException("the OTLP sink cannot listen: " + e.getMessage(), e);
    }
  }

  /** Base URL, to use as EXPORT_OTLP_ENDPOINT. */
  public String endpoint() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  /** Answer every request with this status (and keep nothing) until told 200 again. */
  public OtlpSink respondWith(int statusCode) {
    retryAfterSeconds = null;
    status = statusCode;
    hang.countDown();
    return this;
  }

  /** Answer with this status and a Retry-After header. */
  public OtlpSink respondWith(int statusCode, int retryAfter) {
    respondWith(statusCode);
    retryAfterSeconds = retryAfter;
    return this;
  }

  /** Hold every request without answering until {@link #respondWith} is called. */
  public OtlpSink hang() {
    hang = new CountDownLatch(1);
    return this;
  }

  /** Requests received, answered or not. */
  /** Trace export requests answered with something other than 200. */
  public int refusedTraceRequests() {
    return refusedTraceRequests.get();
  }

  public int requestCount() {
    return requests.get();
  }

  public List<Span> spans() {
    return traceRequests.stream().flatMap(r -> r.getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
  }

  public List<Metric> metrics() {
    return metricRequests.stream().flatMap(r -> r.getResourceMetricsList().stream())
        .flatMap(rm -> rm.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream()).toList();
  }

  public List<LogRecord> logs() {
    return logRequests.stream().flatMap(r -> r.getResourceLogsList().stream())
        .flatMap(rl -> rl.getScopeLogsList().stream()).flatMap(sl -> sl.getLogRecordsList().stream()).toList();
  }

  /** The accepted requests themselves, with their resources and scopes. */
  public List<ExportTraceServiceRequest> traceRequests() {
    return List.copyOf(traceRequests);
  }

  public List<ExportMetricsServiceRequest> metricRequests() {
    return List.copyOf(metricRequests);
  }

  public List<ExportLogsServiceRequest> logRequests() {
    return List.copyOf(logRequests);
  }

  @Override
  public void close() {
    hang.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        receive(exchange);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        send(exchange, 400, ("not an OTLP protobuf request: " + e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  private void receive(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    try {
      hang.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      return;
    }
    if (status != 200) {
      if ("/v1/traces".equals(exchange.getRequestURI().getPath())) {
        refusedTraceRequests.incrementAndGet();
      }
      if (retryAfterSeconds != null) {
        exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
      }
      send(exchange, status, new byte[0]);
      return;
    }
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    String path = exchange.getRequestURI().getPath();
    byte[] response;
    switch (path) {
      case "/v1/traces" -> {
        traceRequests.add(ExportTraceServiceRequest.parseFrom(body));
        response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      }
      case "/v1/metrics" -> {
        metricRequests.add(ExportMetricsServiceRequest.parseFrom(body));
        response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      }
      case "/v1/logs" -> {
        logRequests.add(ExportLogsServiceRequest.parseFrom(body));
        response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
      }
      default -> {
        send(exchange, 404, new byte[0]);
        return;
      }
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    send(exchange, 200, response);
  }

  private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
