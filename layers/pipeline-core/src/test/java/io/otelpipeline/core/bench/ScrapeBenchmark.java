package io.otelpipeline.core.bench;

import com.sun.net.httpserver.HttpServer;
import io.otelpipeline.core.scrape.AddressPolicy;
import io.otelpipeline.core.scrape.ExpositionToOtlp;
import io.otelpipeline.core.scrape.Fixtures;
import io.otelpipeline.core.scrape.ScrapeResult;
import io.otelpipeline.core.scrape.SeriesState;
import io.otelpipeline.core.scrape.TargetScraper;
import io.otelpipeline.core.scrape.exposition.Exposition;
import io.otelpipeline.core.scrape.exposition.ExpositionFormat;
import io.otelpipeline.core.scrape.exposition.ExpositionParser;
import io.otelpipeline.core.targets.ScrapeTarget;
import io.otelpipeline.core.targets.TargetSource;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scraping costs on the captured node_exporter exposition (57,542 bytes): parsing against a plain
 * line split of the same bytes (the floor any text parser pays), conversion to OTLP, and whole
 * scrapes of 16 targets at once from a local HTTP server, per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScrapeBenchmark {
  static final int TARGETS = 16;

  byte[] body;
  Exposition parsed;
  ScrapeTarget target;
  HttpServer server;
  ExecutorService pool;
  TargetScraper scraper;
  List<ScrapeTarget> targets;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    body = Fixtures.exposition("node-exporter.prom");
    parsed = ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/metrics", ex -> {
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();
    target = ScrapeTarget.of("node", address, Map.of(), Duration.ofSeconds(15), TargetSource.CONFIG);
    targets = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) {
      targets.add(ScrapeTarget.of("node-" + i, address, Map.of(), Duration.ofSeconds(15), TargetSource.CONFIG));
    }
    pool = Executors.newFixedThreadPool(TARGETS);
    scraper = new TargetScraper(TargetScraper.httpClient(), new AddressPolicy(true), TargetScraper.DEFAULT_MAX_BYTES, Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stop(0);
    pool.shutdownNow();
  }

  /** Baseline: decode and split into lines, touching each line. */
  @Benchmark
  public void lineSplit(Blackhole bh) {
    String text = new String(body, StandardCharsets.UTF_8);
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      bh.consume(text.substring(start, end));
      start = end + 1;
    }
  }

  @Benchmark
  public Exposition parse() {
    return ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
  }

  @Benchmark
  public Object convert() {
    return ExpositionToOtlp.convert(ScrapeResult.success(target, Instant.now(), Duration.ofMillis(5), parsed), SeriesState.empty());
  }

  /** 16 targets scraped concurrently, parsed and converted: one operation is 16 scrapes. */
  @Benchmark
  public void scrape16Targets(Blackhole bh) throws Exception {
    List<Future<?>> running = new ArrayList<>(TARGETS);
    for (ScrapeTarget t : targets) {
      running.add(pool.submit(() -> bh.consume(ExpositionToOtlp.convert(scraper.scrape(t), SeriesState.empty()))));
    }
    for (Future<?> f : running) {
      f.get();
    }
  }
}
