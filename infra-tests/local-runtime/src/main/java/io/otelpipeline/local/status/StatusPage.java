package io.otelpipeline.local.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local stack's status page: {@code /} is one self-contained HTML page (plain JavaScript and
 * SVG, nothing fetched from elsewhere, so it works offline) that polls {@code /status.json} every
 * second and draws the signals as live charts.
 */
public final class StatusPage implements AutoCloseable {
  static final String PAGE = "status.html";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<StatusSnapshot> status;
  private final byte[] page;

  private StatusPage(HttpServer server, ExecutorService executor, Supplier<StatusSnapshot> status, byte[] page) {
    this.server = server;
    this.executor = executor;
    this.status = status;
    this.page = page;
  }

  /** Listens on {@code port} (0 takes a free one) and answers with what {@code status} says at each request. */
  public static StatusPage start(int port, Supplier<StatusSnapshot> status) {
    byte[] page;
    try (InputStream in = StatusPage.class.getResourceAsStream(PAGE)) {
      if (in == null) {
        throw new IllegalStateException("the status page " + PAGE + " is missing from the classpath next to " + StatusPage.class.getName());
      }
      page = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the status page " + PAGE, e);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new IllegalStateException("the status page cannot listen on port " + port + " (" + e.getMessage()
          + "); is another local stack running? Set another port with STATUS_HTTP_PORT", e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "status-page");
      t.setDaemon(true);
      return t;
    });
    StatusPage statusPage = new StatusPage(server, executor, status, page);
    server.createContext("/", statusPage::handle);
    server.setExecutor(executor);
    server.start();
    return statusPage;
  }

  /** The page's address, ending in a slash. */
  public String url() {
    return "http://localhost:" + server.getAddress().getPort() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "text/plain", "only GET".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/") || path.equals("/index.html")) {
        send(exchange, 200, "text/html; charset=utf-8", page);
      } else if (path.equals("/status.json")) {
        send(exchange, 200, "application/json", status.get().toJson().getBytes(StandardCharsets.UTF_8));
      } else {
        send(exchange, 404, "text/plain", (path + " is not here: the page is / and its data /status.json").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
