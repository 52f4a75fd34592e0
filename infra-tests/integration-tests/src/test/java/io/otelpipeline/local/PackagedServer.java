package io.otelpipeline.local;

import io.otelpipeline.core.testing.LocalPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A server from a Debian package ({@code prometheus-node-exporter}, {@code prometheus}) on a free
 * loopback port for the length of a test, its output in a file that a failure to start quotes.
 */
final class PackagedServer implements AutoCloseable {
  static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;
  private final Path workDirectory;

  private PackagedServer(Process process, int port, Path workDirectory) {
    this.process = process;
    this.port = port;
    this.workDirectory = workDirectory;
  }

  /**
   * A node_exporter without the collectors that need systemd or take long, so one scrape answers
   * in milliseconds.
   */
  static PackagedServer nodeExporter() {
    requireInstalled(NODE_EXPORTER, "prometheus-node-exporter");
    int port = LocalPorts.free();
    return start(NODE_EXPORTER, port, "/metrics", workDirectory("node-exporter"), List.of(
        "--web.listen-address=127.0.0.1:" + port,
        "--no-collector.systemd",
        "--no-collector.hwmon",
        "--no-collector.thermal_zone"));
  }

  /** A Prometheus server with this configuration (YAML) and its storage in a temporary folder. */
  static PackagedServer prometheus(String configuration) {
    requireInstalled(PROMETHEUS, "prometheus");
    int port = LocalPorts.free();
    Path work = workDirectory("prometheus");
    Path config = work.resolve("prometheus.yml");
    try {
      Files.writeString(config, configuration);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(PROMETHEUS, port, "/-/ready", work, List.of(
        "--config.file=" + config,
        "--storage.tsdb.path=" + work.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port));
  }

  /** {@code 127.0.0.1:port}, as a scrape target's address. */
  String address() {
    return "127.0.0.1:" + port;
  }

  String url() {
    return "http://" + address();
  }

  /** What the server printed so far. */
  String output() {
    try {
      return Files.readString(workDirectory.resolve("output.log"));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(workDirectory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("cannot remove " + workDirectory + ": " + e.getMessage());
    }
  }

  private static void requireInstalled(Path binary, String debianPackage) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing: install the Debian package " + debianPackage
          + " (apt-get install " + debianPackage + "; .ci/run does)");
    }
  }

  private static PackagedServer start(Path binary, int port, String readyPath, Path work, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(arguments);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("output.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command + ": " + e.getMessage(), e);
    }
    PackagedServer server = new PackagedServer(process, port, work);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!server.answers(readyPath)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String output = server.output();
        server.close();
        throw new IllegalStateException(command + (process.isAlive() ? " did not answer " + readyPath + " within " + READY_TIMEOUT
            : " exited with status " + process.exitValue()) + "; its output:\n" + output);
      }
      pause();
    }
    return server;
  }

  private boolean answers(String path) {
    try {
      HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Path workDirectory(String name) {
    try {
      return Files.createTempDirectory(name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
