package io.otelpipeline.local;

import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.export.ExportPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mvn -q -pl infra-tests/local-runtime exec:java}: the whole pipeline on this machine until Ctrl-C. Prints
 * the endpoints, the streams, where output goes and the configuration in force, then a status line
 * whenever something changes.
 */
public final class LocalStackMain {
  /** Where Log4j reads its configuration: the local stack's plain-text console, unless one is named already. */
  private static final String LOG_CONFIGURATION_PROPERTY = "log4j2.configurationFile";
  private static final String LOG_CONFIGURATION = "classpath:io/otelpipeline/local/log4j2-local.xml";

  private LocalStackMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty(LOG_CONFIGURATION_PROPERTY) == null) {
      System.setProperty(LOG_CONFIGURATION_PROPERTY, LOG_CONFIGURATION);
    }
    long started = System.nanoTime();
    LocalStackOptions options = LocalStackOptions.fromEnvironment(System.getenv());
    LocalStack stack;
    try {
      stack = LocalStack.start(options);
    } catch (RuntimeException e) {
      System.err.println("The local stack cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Duration ready = awaitIngest(stack);
    Duration toReady = Duration.ofNanos(System.nanoTime() - started);
    print(stack, options);
    System.out.printf("Ready in %.1f s (ingest answering%s). Ctrl-C stops everything.%n", toReady.toMillis() / 1000.0,
        ready == null ? " not confirmed" : "");
    new CountDownLatch(1).await();
  }

  private static void print(LocalStack stack, LocalStackOptions options) {
    SamTemplate template = stack.template();
    System.out.println();
    System.out.println("otel-pipeline, running " + template.path() + " locally");
    System.out.println();
    System.out.println("Endpoints");
    template.function(LocalStack.INGEST_FUNCTION).ifPresent(f -> {
      String base = stack.otlpEndpoint();
      System.out.println("  OTLP/HTTP    " + base + "/v1/traces  /v1/metrics  /v1/logs");
      System.out.println("  auth         Authorization: Bearer " + stack.ingestToken()
          + (options.env().containsKey("INGEST_TOKENS") ? "  (from INGEST_TOKENS)" : "  (made up for this run; set INGEST_TOKENS to choose)"));
    });
    template.function(LocalStack.TARGETS_FUNCTION).ifPresent(f -> System.out.println("  targets API  " + stack.targetsEndpoint()));
    stack.statusPageUrl().ifPresent(url -> System.out.println("  status page  " + url + "  (JSON: " + url + "status.json)"));
    System.out.println();
    System.out.println("Streams");
    for (StreamSpec stream : template.streams()) {
      long open = Shards.list(stack.kinesis(), stream.name()).stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).count();
      System.out.printf("  %-16s %-36s %d shard%s%n", stream.logicalId(), stream.name(), open, open == 1 ? "" : "s");
    }
    if (!template.tables().isEmpty()) {
      System.out.println("Tables");
      template.tables().forEach(t -> System.out.printf("  %-16s %s%n", t.logicalId(), t.name()));
    }
    System.out.println("Functions");
    for (FunctionSpec f : template.functions()) {
      StringBuilder triggers = new StringBuilder();
      if (f.functionUrl()) {
        triggers.append(" url ").append(stack.functionUrl(f.logicalId()));
      }
      f.kinesisSources().forEach(k -> triggers.append(" <- ").append(k.streamLogicalId()).append(" (batch ").append(k.batchSize())
          .append(", window ").append(k.batchingWindow().toSeconds()).append(" s, x").append(k.parallelizationFactor()).append(')'));
      f.schedules().forEach(s -> triggers.append(" every ").append(s.expression()));
      System.out.printf("  %-24s%s%n", f.logicalId(), triggers);
    }
    System.out.println();
    Map<String, String> environment = template.functions().isEmpty() ? Map.of() : stack.environment(template.functions().get(0).logicalId());
    printConfigAndOutput(new FunctionEnvironment(environment), stack);
    System.out.println();
  }

  /** The configuration's start-up report, then where each function's output goes, as the functions decide it. */
  private static void printConfigAndOutput(FunctionEnvironment environment, LocalStack stack) {
    PipelineConfig config;
    try {
      config = PipelineConfig.load(environment, location -> {
        throw new IllegalArgumentException(location + " is remote; locally PIPELINE_CONFIG is a list of file paths");
      });
      System.out.println("Config " + config.source());
      List<String> report = config.report();
      if (report.isEmpty()) {
        System.out.println("  no components configured: every function runs with its defaults");
      }
      report.forEach(line -> System.out.println("  " + line));
      System.out.println();
      System.out.println("Output");
      boolean debug = false;
      for (Feed feed : Feed.values()) {
        ExportPlan plan = ExportPlan.of(environment, config, feed);
        System.out.println("  from " + feed.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        plan.notes().forEach(line -> System.out.println("    " + line));
        plan.describe(feed).forEach(line -> System.out.println("    " + line));
        debug |= plan.exporters().values().stream().anyMatch(d -> d instanceof ExportPlan.Debug);
      }
      if (debug) {
        System.out.println("  debug output: OTLP JSON lines in " + stack.exportDirectory());
      }
    } catch (RuntimeException e) {
      System.out.println("Config: " + e.getMessage());
    }
    System.out.println("  failures: " + stack.failureDirectory());
  }

  /** Waits until ingest answers HTTP at all; returns how long that took, or null when it did not within a minute. */
  private static Duration awaitIngest(LocalStack stack) {
    if (stack.template().function(LocalStack.INGEST_FUNCTION).isEmpty()) {
      return Duration.ZERO;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(stack.otlpEndpoint() + "/v1/traces"))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        client.send(probe, HttpResponse.BodyHandlers.discarding());
        return Duration.ofNanos(System.nanoTime() - start);
      } catch (IOException notYet) {
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
