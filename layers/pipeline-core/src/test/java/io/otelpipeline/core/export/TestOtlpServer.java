package io.otelpipeline.core.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP backend for tests: answers each request with the next scripted reply (the last one
 * repeats) and keeps every request it received.
 */
public final class TestOtlpServer implements AutoCloseable {
  /** A scripted answer; {@code hang} never answers until the server closes. */
  public record Reply(int status, Map<String, String> headers, byte[] body, boolean hang) {
    public static Reply ok() {
      return new Reply(200, Map.of(), new byte[0], false);
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0], false);
    }

    public static Reply withBody(int status, String contentType, byte[] body) {
      return new Reply(status, Map.of("Content-Type", contentType), body, false);
    }

    public static Reply retryAfter(int status, String retryAfter) {
      return new Reply(status, Map.of("Retry-After", retryAfter), new byte[0], false);
    }

    public static Reply hanging() {
      return new Reply(0, Map.of(), new byte[0], true);
    }
  }

  /** A request as the server saw it: {@code body} decompressed when it was gzip, {@code rawBody} as sent. */
  public record Received(String path, Map<String, List<String>> headers, byte[] body, byte[] rawBody) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  private TestOtlpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static TestOtlpServer start(Reply... replies) {
    try {
      TestOtlpServer s = new TestOtlpServer();
      s.script(replies);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the script: the replies in order, the last one repeating. */
  public synchronized void script(Reply... replies) {
    script.clear();
    script.addAll(List.of(replies));
  }

  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  private synchronized Reply next() {
    return script.size() > 1 ? script.poll() : script.peek();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    byte[] body = raw;
    if ("gzip".equalsIgnoreCase(encoding)) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        body = in.readAllBytes();
      }
    }
    received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body, raw));
    Reply reply = next();
    if (reply.hang()) {
      try {
        closing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    if (reply.body().length > 0) {
      exchange.getResponseBody().write(reply.body());
    }
    exchange.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
