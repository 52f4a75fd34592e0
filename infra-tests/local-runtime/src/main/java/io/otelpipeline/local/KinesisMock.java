package io.otelpipeline.local;

import io.otelpipeline.core.testing.LocalPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kinesis-mock (the npm package {@code kinesis-local}) as a child process on a free port, plain
 * HTTP. The package is installed on first use into a folder the build owns; stopping it destroys
 * the whole process tree, also when the JVM exits without closing it.
 */
public final class KinesisMock implements AutoCloseable {
  /** The npm package and the version this project is tested with. */
  public static final String PACKAGE = "kinesis-local@0.6.2";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  /**
   * kinesis-mock delays stream state changes to imitate AWS (500 ms each by default); locally
   * nothing is gained by waiting.
   */
  private static final Map<String, String> FAST_TRANSITIONS =
      Map.ofEntries(
          Map.entry("CREATE_STREAM_DURATION", "5ms"),
          Map.entry("DELETE_STREAM_DURATION", "5ms"),
          Map.entry("UPDATE_SHARD_COUNT_DURATION", "5ms"),
          Map.entry("SPLIT_SHARD_DURATION", "5ms"),
          Map.entry("MERGE_SHARDS_DURATION", "5ms"),
          Map.entry("UPDATE_STREAM_MODE_DURATION", "5ms"),
          Map.entry("START_STREAM_ENCRYPTION_DURATION", "5ms"),
          Map.entry("STOP_STREAM_ENCRYPTION_DURATION", "5ms"),
          Map.entry("REGISTER_STREAM_CONSUMER_DURATION", "5ms"),
          Map.entry("DEREGISTER_STREAM_CONSUMER_DURATION", "5ms"));

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final Thread reaper;

  private KinesisMock(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.reaper = new Thread(this::destroyTree, "kinesis-mock-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Installs the package under {@code home/kinesis-mock} if needed and starts it; returns once it answers. */
  public static KinesisMock start(Path home, String region) {
    Path main = install(home.resolve("kinesis-mock"));
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(main, home, region);
      } catch (LocalPorts.ProcessExited e) {
        // most likely a port taken between choosing it and binding it: again, on other ports
        if (attempt == START_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static KinesisMock startOnce(Path main, Path home, String region) {
    int port = LocalPorts.free();
    Path log = home.resolve("kinesis-mock-" + port + ".log");
    ProcessBuilder builder = new ProcessBuilder(node(), main.getFileName().toString());
    // server.json (its TLS certificate) is read from the working directory
    builder.directory(main.getParent().toFile());
    Map<String, String> env = builder.environment();
    env.putAll(FAST_TRANSITIONS);
    env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
    int tlsPort = LocalPorts.free();
    env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
    env.put("AWS_REGION", region);
    env.put("SHARD_LIMIT", "500");
    env.put("LOG_LEVEL", "WARN");
    env.put("SHOULD_PERSIST_DATA", "false");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start kinesis-mock with '" + node() + "': " + e.getMessage()
          + " (Node.js must be installed and on the PATH)", e);
    }
    KinesisMock mock = new KinesisMock(process, URI.create("http://localhost:" + port), log);
    try {
      mock.awaitHealthy();
      // it binds its TLS port too; a failure there ends the process after the plain port answered
      LocalPorts.awaitListening("kinesis-mock", process, tlsPort, START_TIMEOUT, mock::logTail);
    } catch (RuntimeException e) {
      mock.close();
      throw e;
    }
    return mock;
  }

  public URI endpoint() {
    return endpoint;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    destroyTree();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook itself is what is closing us
    }
  }

  private void destroyTree() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private void awaitHealthy() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(endpoint.resolve("/healthcheck")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new LocalPorts.ProcessExited("kinesis-mock exited with status " + process.exitValue() + ": " + logTail());
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for kinesis-mock", e);
      }
      sleep(100);
    }
    throw new IllegalStateException("kinesis-mock did not answer on " + endpoint + " within " + START_TIMEOUT + ": " + logTail());
  }

  private String logTail() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** {@code npm install --prefix dir kinesis-local}, once, guarded by a file lock against a concurrent build. */
  static Path install(Path dir) {
    Path main = dir.resolve("node_modules/kinesis-local/main.js");
    try {
      Files.createDirectories(dir);
      try (FileChannel lockFile = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lockFile.lock()) {
        if (Files.exists(main) && Files.exists(main.resolveSibling("server.json"))) {
          return main;
        }
        Path log = dir.resolve("npm-install.log");
        ProcessBuilder npm = new ProcessBuilder(npm(), "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), PACKAGE);
        npm.environment().put("npm_config_update_notifier", "false");
        Process p = npm.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("npm install " + PACKAGE + " into " + dir + " did not finish within " + INSTALL_TIMEOUT);
        }
        if (p.exitValue() != 0 || !Files.exists(main)) {
          throw new IllegalStateException("npm install " + PACKAGE + " into " + dir + " failed (exit " + p.exitValue() + "): "
              + Files.readString(log, StandardCharsets.UTF_8));
        }
        return main;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + PACKAGE + " into " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing " + PACKAGE, e);
    }
  }

  private static String node() {
    return System.getProperty("os.name").startsWith("Windows") ? "node.exe" : "node";
  }

  private static String npm() {
    return System.getProperty("os.name").startsWith("Windows") ? "npm.cmd" : "npm";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for kinesis-mock", e);
    }
  }
}
