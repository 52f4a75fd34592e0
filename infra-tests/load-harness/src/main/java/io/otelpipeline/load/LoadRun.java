package io.otelpipeline.load;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.otelpipeline.load.cost.CostReport;
import io.otelpipeline.local.ConsumerLag;
import io.otelpipeline.local.LocalStack;
import io.otelpipeline.local.SamplerStates;
import io.otelpipeline.local.LocalStackOptions;
import io.otelpipeline.local.OtlpSink;
import io.otelpipeline.local.status.StatusSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One load run: Demo-shaped traces from one SDK per service, paced to a rate in spans per second,
 * through each SDK's OTLP/HTTP exporter (gzip) wrapped by {@link MeasuredExporter}. Against the
 * local stack it then waits for the consumers to drain and the sampler to decide every trace,
 * and accounts for every accepted span.
 */
final class LoadRun {
  /**
   * The tail sampling the harness runs with unless {@code --config} says otherwise: errors and
   * slow traces kept, a tenth of the rest, decided five seconds after a trace's first span.
   */
  static final String PIPELINE_CONFIG = """
      processors:
        tail_sampling:
          decision_wait: 5s
          policies:
            - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
            - {name: slow, type: latency, latency: {threshold_ms: 1000}}
            - {name: baseline, type: probabilistic, probabilistic: {sampling_percentage: 10}}
      """;
  /** Short batching windows, so that a run of seconds drains in seconds; {@code --param} overrides them. */
  static final Map<String, String> PARAMETERS = Map.of("SamplerBatchingWindowSeconds", "2", "SpanMetricsBatchingWindowSeconds", "2");
  static final List<String> STREAMS = List.of("TracesStream", "MetricsStream", "LogsStream");
  /** The longest single wait for the consumers to catch up between two looks at the loss accounting (and two ticks). */
  static final Duration DRAIN_STEP = Duration.ofSeconds(30);
  private static final Duration SCHEDULE_DELAY = Duration.ofMillis(500);
  private static final int MAX_QUEUE = 200_000;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private LoadRun() {}

  /**
   * Starts a local stack with {@code shards} shards per stream and the harness's sink as its
   * backend, and runs the load against it; with {@code --outage}, the sink answers 503 for a while.
   * Then waits, at most the options' drain timeout past the end of the load or of the outage, until
   * every accepted span is at the sink, dropped by a recorded decision or kept in the failure
   * destination, firing the tick function as its schedule would.
   */
  static LoadReport local(LoadOptions options, int rate, int shards, PrintStream out) {
    Path config = options.pipelineConfig().orElseGet(LoadRun::writeConfig);
    LocalStackOptions stackOptions = LocalStackOptions.defaults().schedules(false).statusPage(0);
    Map<String, String> parameters = new LinkedHashMap<>(PARAMETERS);
    parameters.putAll(options.parameters());
    parameters.forEach(stackOptions::parameter);
    STREAMS.forEach(s -> stackOptions.shardCount(s, shards));
    try (MemoryWatch memory = MemoryWatch.start(); OtlpSink sink = OtlpSink.start()) {
      stackOptions.env("EXPORT_OTLP_ENDPOINT", sink.endpoint()).env("PIPELINE_CONFIG", config.toString());
      out.printf("starting the local stack: %d shard%s per stream, backend %s%n", shards, shards == 1 ? "" : "s", sink.endpoint());
      try (LocalStack stack = LocalStack.start(stackOptions); SinkWatcher watcher = new SinkWatcher(sink)) {
        out.println("status page " + stack.statusPageUrl().orElse("-"));
        StateRequests.start();
        Map<String, LoadReport.ConsumerPeak> peaks = new LinkedHashMap<>();
        List<long[]> backlog = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable sampleLag = () -> {
          long records = 0;
          long behindMillis = 0;
          for (ConsumerLag lag : stack.consumerLags()) {
            peaks.merge(lag.function() + " " + lag.stream(),
                new LoadReport.ConsumerPeak(lag.function(), lag.stream(), lag.records(), lag.behind().toMillis() / 1000.0),
                (a, b) -> new LoadReport.ConsumerPeak(a.function(), a.stream(), Math.max(a.peakRecords(), b.peakRecords()),
                    Math.max(a.peakBehindSeconds(), b.peakBehindSeconds())));
            records += lag.records();
            behindMillis = Math.max(behindMillis, lag.behind().toMillis());
          }
          backlog.add(new long[] {System.nanoTime(), records, behindMillis});
        };
        Supplier<String> progress = () -> {
          StatusSnapshot s = stack.status();
          long lagRecords = s.lags().stream().mapToLong(StatusSnapshot.Lag::records).sum();
          double behind = s.lags().stream().mapToLong(StatusSnapshot.Lag::behindMillis).max().orElse(0) / 1000.0;
          return String.format(Locale.ROOT, "  lag %,d rec %.1f s  exported %,d  sampled out %,d%s", lagRecords, behind, watcher.uniqueSpans(),
              s.spansSampledOut(), sink.refusedTraceRequests() > 0 ? String.format(Locale.ROOT, "  refused by the backend %,d", sink.refusedTraceRequests()) : "");
        };
        IngestMeter meter = new IngestMeter();
        long started = System.nanoTime();
        BackendOutage outage = options.outage().map(length -> BackendOutage.schedule(sink, started, options.outageAt(), length, out)).orElse(null);
        try {
          long generated = drive(stack.otlpEndpoint(), stack.ingestToken(), rate, options, meter, sampleLag, progress, out);
          long loadEnd = System.nanoTime();
          double loadSeconds = seconds(started, meter);
          StatusSnapshot atLoadEnd = stack.status();
          long decidedDuringLoad = atLoadEnd.spansSampled() + atLoadEnd.spansSampledOut();

          long boundFrom = outage == null ? loadEnd : Math.max(loadEnd, outage.plannedEnd());
          long deadline = boundFrom + options.drainTimeout().toNanos();
          out.printf(Locale.ROOT, "load done; waiting (at most %s%s) until every accepted span is delivered or accounted for%n",
              options.drainTimeout(), outage == null ? "" : " past the end of the outage");
          long accepted = meter.spansAccepted.sum();
          LossAccounting accounting = new LossAccounting(new SamplerStates(stack));
          FailureSpans failures = new FailureSpans(stack.failureDirectory());
          Map<String, Integer> ledger = meter.ledger.snapshot();
          LossAccounting.Tally tally;
          long completeAt = 0;
          long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
          while (true) {
            sampleLag.run();
            watcher.collect();
            StateRequests.pause();
            tally = accounting.tally(ledger, watcher.exportedByTrace(), watcher.notAtSink(failures.spans()));
            StateRequests.resume();
            long now = System.nanoTime();
            if (tally.complete()) {
              completeAt = now;
              break;
            }
            if (now > deadline) {
              break;
            }
            if (now >= nextProgress) {
              out.printf(Locale.ROOT, "[+%3.0fs] undecided %,d  kept but not delivered %,d  delivered %,d  dropped %,d  in the failure destination %,d%s%n",
                  (now - loadEnd) / 1e9, tally.undecided(), tally.missing(), tally.exported(), tally.dropped(), tally.inFailureDestination(),
                  outage != null && !outage.over() ? "  (backend still down)" : "");
              nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            stack.fireSchedule("TraceTickFunction");
            try {
              stack.awaitDrained(Duration.ofNanos(Math.max(1, Math.min(deadline - System.nanoTime(), DRAIN_STEP.toNanos()))));
            } catch (IllegalStateException e) {
              // still behind (the backend down, or a backlog): look again and tick again
            }
            sleep(Duration.ofMillis(500));
          }
          long endedAt = completeAt != 0 ? completeAt : System.nanoTime();
          if (outage != null) {
            outage.close();
          }
          Optional<Double> afterOutage = outage == null ? Optional.empty()
              : Optional.of(Math.max(0, (endedAt - outage.endedAt()) / 1e9));
          LoadReport.Drain drain = new LoadReport.Drain(completeAt != 0, (endedAt - loadEnd) / 1e9, afterOutage, (deadline - loadEnd) / 1e9);
          if (completeAt == 0) {
            out.println("not every accepted span was accounted for within the bound: " + tally);
          }
          Optional<LoadReport.Outage> outageReport = outage == null ? Optional.empty()
              : Optional.of(new LoadReport.Outage((outage.startedAt() - started) / 1e9, (outage.endedAt() - outage.startedAt()) / 1e9,
                  sink.refusedTraceRequests()));
          Duration open = Duration.ofNanos(System.nanoTime() - started);
          StateRequests.Totals units = StateRequests.stop();
          StatusSnapshot end = stack.status();
          Optional<CostReport> cost = accepted == 0 ? Optional.empty()
              : Optional.of(RunCost.of(stack, sink, accepted, meter.tracesAccepted.sum(), shards, open, units));
          Samples delays = watcher.delayMillis();
          DeliveryLatency delivery = DeliveryLatency.of(ledger, meter.ledger.firstSent(), watcher.exportedByTrace(), watcher.arrivals());
          LoadReport.Local local = new LoadReport.Local(
              List.copyOf(peaks.values()),
              tally.exported(),
              watcher.duplicates(),
              tally.dropped(),
              end.spansSampledOut(),
              tally.undecided(),
              tally.missing(),
              decidedDuringLoad / loadSeconds,
              delays.percentile(50) / 1000.0,
              delays.percentile(95) / 1000.0,
              delays.percentile(99) / 1000.0,
              tally.inFailureDestination(),
              backlog(backlog, started, loadEnd),
              drain,
              outageReport,
              LoadReport.Delivery.of(delivery),
              memory.peaks(),
              cost);
          return report(rate, shards, options.duration().toMillis() / 1000.0, loadSeconds, generated, meter, Optional.of(local));
        } finally {
          if (outage != null) {
            outage.close();
          }
        }
      }
    }
  }

  /** The backlog sampled nearest the middle of the load and last before its end. */
  private static LoadReport.Backlog backlog(List<long[]> samples, long started, long loadEnd) {
    long halfway = started + (loadEnd - started) / 2;
    long[] middle = null;
    long[] last = null;
    synchronized (samples) {
      for (long[] s : samples) {
        if (s[0] > loadEnd) {
          break;
        }
        if (middle == null || Math.abs(s[0] - halfway) < Math.abs(middle[0] - halfway)) {
          middle = s;
        }
        last = s;
      }
    }
    if (last == null) {
      return new LoadReport.Backlog(0, 0, 0, 0);
    }
    return new LoadReport.Backlog(middle[1], middle[2] / 1000.0, last[1], last[2] / 1000.0);
  }

  /** Runs the load against a deployed stack: what the client sees only (the dashboard shows the rest). */
  static LoadReport deployed(LoadOptions options, PrintStream out) {
    IngestMeter meter = new IngestMeter();
    long started = System.nanoTime();
    long generated = drive(options.endpoint().orElseThrow(), options.token().orElseThrow(), options.rate(), options, meter, () -> {}, () -> "", out);
    return report(options.rate(), 0, options.duration().toMillis() / 1000.0, seconds(started, meter), generated, meter, Optional.empty());
  }

  /** Sends traces at {@code rate} spans per second for the options' duration, then flushes; returns the spans generated. */
  private static long drive(String endpoint, String token, int rate, LoadOptions options, IngestMeter meter, Runnable everySecond,
      Supplier<String> progress, PrintStream out) {
    Map<String, Tracer> tracers = new LinkedHashMap<>();
    List<SdkTracerProvider> providers = new ArrayList<>();
    for (String service : DemoTraffic.SERVICES) {
      OtlpHttpSpanExporter otlp = OtlpHttpSpanExporter.builder()
          .setEndpoint(endpoint + "/v1/traces")
          .addHeader("Authorization", "Bearer " + token)
          .setCompression("gzip")
          .setRetryPolicy(null)
          .build();
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.builder()
              .put(AttributeKey.stringKey("service.name"), service)
              .put(AttributeKey.stringKey("service.namespace"), "opentelemetry-demo")
              .put(AttributeKey.stringKey("service.version"), "2.0.2")
              .put(AttributeKey.stringKey("deployment.environment.name"), "load-test")
              .put(AttributeKey.stringKey("telemetry.sdk.language"), "java")
              .build()))
          .addSpanProcessor(BatchSpanProcessor.builder(new MeasuredExporter(otlp, meter))
              .setScheduleDelay(SCHEDULE_DELAY)
              .setMaxQueueSize(MAX_QUEUE)
              .setMaxExportBatchSize(512)
              .setExporterTimeout(Duration.ofMinutes(5))
              .build())
          .build();
      providers.add(provider);
      tracers.put(service, provider.get("io.otelpipeline.load"));
    }
    DemoTraffic traffic = new DemoTraffic(tracers, options.errorShare(), options.slowShare(), 42);
    long start = System.nanoTime();
    long end = start + options.duration().toNanos();
    long generated = 0;
    long nextSecond = start + 1_000_000_000L;
    long nextProgress = start + PROGRESS_EVERY.toNanos();
    long acceptedAtProgress = 0;
    long now;
    while ((now = System.nanoTime()) < end) {
      long due = start + (long) (generated * 1e9 / rate);
      if (due > now) {
        LockSupport.parkNanos(Math.min(due - now, 50_000_000L));
        continue;
      }
      Instant at = Instant.now();
      generated += traffic.trace(at.getEpochSecond() * 1_000_000_000L + at.getNano()).spans();
      if (now >= nextSecond) {
        everySecond.run();
        nextSecond += 1_000_000_000L;
      }
      if (now >= nextProgress) {
        long accepted = meter.spansAccepted.sum();
        out.printf(Locale.ROOT, "[%3.0fs] offered %,.0f/s  accepted %,.0f/s  ingest p95 %.0f ms  429 %d  503 %d%s%n",
            (now - start) / 1e9, generated / ((now - start) / 1e9), (accepted - acceptedAtProgress) / (double) PROGRESS_EVERY.toSeconds(),
            meter.latencyMicros.percentile(95) / 1000.0, meter.tooManyRequests.sum(), meter.unavailable.sum(), progress.get());
        acceptedAtProgress = accepted;
        nextProgress += PROGRESS_EVERY.toNanos();
      }
    }
    for (SdkTracerProvider provider : providers) {
      provider.shutdown().join(5, TimeUnit.MINUTES);
    }
    everySecond.run();
    return generated;
  }

  private static LoadReport report(int rate, int shards, double driveSeconds, double loadSeconds, long generated, IngestMeter meter,
      Optional<LoadReport.Local> local) {
    return new LoadReport(rate, shards, driveSeconds, loadSeconds, generated, meter.spansOffered.sum(), meter.spansAccepted.sum(), meter.tracesAccepted.sum(),
        meter.requestsAccepted.sum(), meter.tooManyRequests.sum(), meter.unavailable.sum(), meter.otherFailures.sum(), meter.spansGivenUp.sum(),
        meter.latencyMicros.percentile(50) / 1000.0, meter.latencyMicros.percentile(95) / 1000.0, meter.latencyMicros.percentile(99) / 1000.0,
        local);
  }

  /** From the start of the load to the last accepted answer: the window the intake rate is measured over. */
  private static double seconds(long started, IngestMeter meter) {
    long last = meter.lastAcceptedNanos.get();
    return Math.max(1e-3, ((last > started ? last : System.nanoTime()) - started) / 1e9);
  }

  private static Path writeConfig() {
    try {
      Path file = Files.createTempFile("load-harness-pipeline", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, PIPELINE_CONFIG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the harness's pipeline config to a temporary file: " + e.getMessage(), e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the pipeline to drain", e);
    }
  }
}
