package io.otelpipeline.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.otlp.OtlpCounts;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.export.TestOtlpServer.Reply;
import io.otelpipeline.core.testing.MutableClock;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpHttpExporterTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final List<Duration> sleeps = new ArrayList<>();
  private final RecordingTelemetry telemetry = new RecordingTelemetry();
  private final Sleeper sleeper = d -> {
    sleeps.add(d);
    clock.advance(d);
  };
  private TestOtlpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private OtlpHttpExporter exporter(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("EXPORT_OTLP_ENDPOINT", server.baseUrl());
    env.putAll(extraEnv);
    ExportSettings settings = ExportSettings.fromEnvironment(new FunctionEnvironment(env));
    return new OtlpHttpExporter(
        settings,
        OtlpHttpExporter.httpClient(settings),
        new CircuitBreaker(settings.breakerFailures(), settings.breakerCooldown(), clock),
        Optional.empty(),
        telemetry,
        clock,
        sleeper,
        new SplittableRandom(42));
  }

  private static byte[] metrics(int points) {
    return OtlpSamples.metrics(1, points).toByteArray();
  }

  @Test
  void sendsGzippedProtobufWithConfiguredHeadersToTheSignalPath() throws Exception {
    server = TestOtlpServer.start(Reply.ok());
    byte[] request = metrics(5);

    ExportResult result = exporter(Map.of("EXPORT_OTLP_HEADERS", "api-key=s3cr%3Dt+x, x-tenant = blue")).export(Signal.METRICS, request, 5);

    assertEquals(ExportResult.success(), result);
    TestOtlpServer.Received got = server.received().get(0);
    assertEquals("/v1/metrics", got.path());
    assertEquals("application/x-protobuf", got.header("Content-Type"));
    assertEquals("gzip", got.header("Content-Encoding"));
    assertEquals("s3cr=t+x", got.header("api-key"));
    assertEquals("blue", got.header("x-tenant"));
    assertEquals(ExportMetricsServiceRequest.parseFrom(request), ExportMetricsServiceRequest.parseFrom(got.body()));
    assertEquals(5, telemetry.counter("otelcol_exporter_sent_metric_points"));
    assertEquals(0, telemetry.counter("otelcol_exporter_send_failed_metric_points"));
  }

  @Test
  void badRequestIsPermanentWithTheBackendsStatusMessageAndIsNotRetried() {
    byte[] status = Status.newBuilder().setCode(3).setMessage("metric name 'queue depth' is invalid").build().toByteArray();
    server = TestOtlpServer.start(Reply.withBody(400, "application/x-protobuf", status));

    ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(3), 3);

    assertEquals(ExportResult.Outcome.PERMANENT, result.outcome());
    assertTrue(result.message().contains("HTTP 400"), result.message());
    assertTrue(result.message().contains("metric name 'queue depth' is invalid"), result.message());
    assertEquals(1, server.received().size());
    assertEquals(List.of(), sleeps);
    assertEquals(3, telemetry.counter("otelcol_exporter_send_failed_metric_points"));
  }

  @Test
  void serverErrorsOtherThanTheRetryableOnesArePermanent() {
    for (int status : new int[] {401, 403, 404, 413, 500, 501}) {
      server = TestOtlpServer.start(Reply.withBody(status, "text/plain", ("refused " + status).getBytes()));
      ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(1), 1);
      assertEquals(ExportResult.Outcome.PERMANENT, result.outcome(), "status " + status);
      assertTrue(result.message().contains("refused " + status), result.message());
      assertEquals(1, server.received().size(), "status " + status);
      server.close();
    }
    server = null;
  }

  @Test
  void tooManyRequestsWaitsTheRetryAfterSecondsThenSucceeds() {
    server = TestOtlpServer.start(Reply.retryAfter(429, "7"), Reply.ok());

    ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(2), 2);

    assertEquals(ExportResult.success(), result);
    assertEquals(2, server.received().size());
    assertEquals(List.of(Duration.ofSeconds(7)), sleeps);
  }

  @Test
  void retryAfterAsAnHttpDateWaitsUntilThatDate() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(12).atZone(ZoneOffset.UTC));
    server = TestOtlpServer.start(Reply.retryAfter(503, date), Reply.ok());

    assertEquals(ExportResult.success(), exporter(Map.of()).export(Signal.METRICS, metrics(2), 2));
    assertEquals(List.of(Duration.ofSeconds(12)), sleeps);
  }

  @Test
  void retryAfterBeyondTheRetryBudgetGivesUpAtOnceAsRetryable() {
    server = TestOtlpServer.start(Reply.retryAfter(429, "3600"));

    ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(2), 2);

    assertEquals(ExportResult.Outcome.RETRYABLE, result.outcome());
    assertTrue(result.message().contains("HTTP 429"), result.message());
    assertEquals(1, server.received().size());
    assertEquals(List.of(), sleeps);
  }

  @Test
  void unavailableIsRetriedWithGrowingJitteredBackoffUntilTheElapsedTimeRunsOut() {
    server = TestOtlpServer.start(Reply.status(503));

    ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(2), 2);

    assertEquals(ExportResult.Outcome.RETRYABLE, result.outcome());
    assertTrue(result.message().contains("HTTP 503"), result.message());
    assertEquals(sleeps.size() + 1, server.received().size());
    assertTrue(sleeps.size() >= 3, "retried " + sleeps);
    Duration total = sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    assertTrue(total.compareTo(ExportSettings.RetrySettings.DEFAULT_MAX_ELAPSED_TIME) <= 0, "slept " + total);
    double interval = ExportSettings.RetrySettings.DEFAULT_INITIAL_INTERVAL.toMillis();
    for (Duration sleep : sleeps) {
      assertTrue(sleep.toMillis() >= interval * 0.5 && sleep.toMillis() <= interval * 1.5, sleep + " around " + interval);
      interval = Math.min(interval * 1.5, ExportSettings.RetrySettings.DEFAULT_MAX_INTERVAL.toMillis());
    }
    assertEquals(2, telemetry.counter("otelcol_exporter_send_failed_metric_points"));
  }

  @Test
  void theCallersDeadlineBoundsTheRetries() {
    server = TestOtlpServer.start(Reply.status(502));

    ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(2), 2, START.plusSeconds(1));

    assertEquals(ExportResult.Outcome.RETRYABLE, result.outcome());
    assertEquals(1, server.received().size());
  }

  @Test
  void retriesCanBeSwitchedOffInThePipelineConfig() {
    server = TestOtlpServer.start(Reply.status(504));
    PipelineConfig config =
        PipelineConfig.parse(
            "pipeline.yaml",
            "exporters:\n  otlphttp:\n    endpoint: " + server.baseUrl() + "\n    retry_on_failure:\n      enabled: false\n",
            new FunctionEnvironment(Map.of()));
    ExportSettings settings = ExportSettingsTest.configured(config, Map.of(), "otlphttp");
    OtlpHttpExporter exporter =
        new OtlpHttpExporter(settings, OtlpHttpExporter.httpClient(settings), new CircuitBreaker(5, Duration.ofSeconds(30), clock),
            Optional.empty(), telemetry, clock, sleeper, new SplittableRandom(1));

    assertEquals(ExportResult.Outcome.RETRYABLE, exporter.export(Signal.LOGS, OtlpSamples.logs(1, 1).toByteArray(), 1).outcome());
    assertEquals(1, server.received().size());
    assertEquals("/v1/logs", server.received().get(0).path());
  }

  @Test
  void aBackendThatHangsTimesOutAndIsRetryable() {
    server = TestOtlpServer.start(Reply.hanging());

    ExportResult result =
        exporter(Map.of("EXPORT_OTLP_TIMEOUT", "200ms")).export(Signal.METRICS, metrics(1), 1);

    assertEquals(ExportResult.Outcome.RETRYABLE, result.outcome());
    assertTrue(result.message().contains("cannot reach"), result.message());
    assertTrue(result.message().toLowerCase().contains("timed out"), result.message());
    assertFalse(sleeps.isEmpty(), "a timed-out attempt is retried");
    // Each attempt gives up after 200 ms on the client's clock: on a loaded machine an attempt can
    // time out before its request reaches the server, so the server sees at most every attempt.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (server.received().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    int seen = server.received().size();
    assertTrue(seen >= 1 && seen <= sleeps.size() + 1, seen + " requests seen for " + (sleeps.size() + 1) + " attempts");
  }

  @Test
  void aRefusedConnectionIsRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server = TestOtlpServer.start(Reply.ok());
    ExportSettings settings =
        ExportSettings.fromEnvironment(new FunctionEnvironment(Map.of("EXPORT_OTLP_ENDPOINT", "http://127.0.0.1:" + port)));
    OtlpHttpExporter exporter =
        new OtlpHttpExporter(settings, OtlpHttpExporter.httpClient(settings), new CircuitBreaker(5, Duration.ofSeconds(30), clock),
            Optional.empty(), telemetry, clock, sleeper, new SplittableRandom(1));

    ExportResult result = exporter.export(Signal.METRICS, metrics(1), 1);

    assertEquals(ExportResult.Outcome.RETRYABLE, result.outcome());
    assertTrue(result.message().contains("cannot reach http://127.0.0.1:" + port + "/v1/metrics"), result.message());
    assertTrue(sleeps.size() >= 1);
  }

  @Test
  void partialSuccessCountsTheRejectedItemsAsFailed() {
    byte[] response =
        ExportMetricsServiceResponse.newBuilder()
            .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(2).setErrorMessage("2 points too old"))
            .build()
            .toByteArray();
    server = TestOtlpServer.start(Reply.withBody(200, "application/x-protobuf", response));

    ExportResult result = exporter(Map.of()).export(Signal.METRICS, metrics(5), 5);

    assertEquals(ExportResult.success(), result);
    assertEquals(3, telemetry.counter("otelcol_exporter_sent_metric_points"));
    assertEquals(2, telemetry.counter("otelcol_exporter_send_failed_metric_points"));
  }

  @Test
  void aRequestAboveTheSizeLimitIsSplitByResourceAndEveryItemArrivesOnce() throws Exception {
    server = TestOtlpServer.start(Reply.ok());
    ExportLogsServiceRequest request = OtlpSamples.logs(6, 60);
    int limit = 2048;
    assertTrue(request.getSerializedSize() > 2 * limit, "sample must need several pieces");

    ExportResult result =
        exporter(Map.of("EXPORT_MAX_REQUEST_BYTES", String.valueOf(limit))).export(Signal.LOGS, request.toByteArray(), 360);

    assertEquals(ExportResult.success(), result);
    assertTrue(server.received().size() > 2, "pieces: " + server.received().size());
    Map<String, Integer> perService = new HashMap<>();
    int total = 0;
    for (TestOtlpServer.Received r : server.received()) {
      ExportLogsServiceRequest piece = ExportLogsServiceRequest.parseFrom(r.body());
      assertTrue(piece.getSerializedSize() <= limit, "piece of " + piece.getSerializedSize() + " bytes");
      total += OtlpCounts.logRecords(piece);
      for (var rl : piece.getResourceLogsList()) {
        String service = rl.getResource().getAttributes(0).getValue().getStringValue();
        perService.merge(service, rl.getScopeLogs(0).getLogRecordsCount(), Integer::sum);
        assertEquals("test-scope", rl.getScopeLogs(0).getScope().getName());
      }
    }
    assertEquals(360, total);
    assertEquals(6, perService.size());
    perService.values().forEach(n -> assertEquals(60, n));
    assertEquals(360, telemetry.counter("otelcol_exporter_sent_log_records"));
  }

  @Test
  void theBreakerOpensAfterConsecutiveFailuresFailsFastAndAProbeClosesIt() {
    server = TestOtlpServer.start(Reply.status(503));
    OtlpHttpExporter exporter =
        exporter(Map.of("EXPORT_BREAKER_FAILURES", "2", "EXPORT_BREAKER_COOLDOWN", "60s", "EXPORT_OTLP_TIMEOUT", "5s"));

    assertEquals(ExportResult.Outcome.RETRYABLE, exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1)).outcome());
    assertEquals(ExportResult.Outcome.RETRYABLE, exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1)).outcome());
    int callsWhenOpened = server.received().size();

    ExportResult fastFail = exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1));
    assertEquals(ExportResult.Outcome.RETRYABLE, fastFail.outcome());
    assertTrue(fastFail.message().startsWith("circuit open"), fastFail.message());
    assertEquals(callsWhenOpened, server.received().size(), "an open breaker does not call the backend");

    clock.advance(Duration.ofSeconds(61));
    server.script(Reply.ok());
    assertEquals(ExportResult.success(), exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1)));
    assertEquals(callsWhenOpened + 1, server.received().size(), "exactly one probe");
    assertEquals(ExportResult.success(), exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1)));

    List<Double> states = telemetry.gaugeHistory(ExporterInstruments.CIRCUIT_STATE.name());
    assertEquals(List.of(0.0, 1.0, 1.0, 0.0, 0.0), states);
  }

  @Test
  void aFailedProbeOpensTheBreakerForAnotherCoolDown() {
    server = TestOtlpServer.start(Reply.status(503));
    OtlpHttpExporter exporter = exporter(Map.of("EXPORT_BREAKER_FAILURES", "1", "EXPORT_BREAKER_COOLDOWN", "30s"));

    exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1));
    clock.advance(Duration.ofSeconds(31));
    int before = server.received().size();
    ExportResult probe = exporter.export(Signal.METRICS, metrics(1), 1);
    assertEquals(ExportResult.Outcome.RETRYABLE, probe.outcome());
    assertEquals(before + 1, server.received().size(), "the probe is a single attempt, not a retry loop");

    ExportResult after = exporter.export(Signal.METRICS, metrics(1), 1);
    assertTrue(after.message().startsWith("circuit open"), after.message());
    assertEquals(before + 1, server.received().size());
  }

  @Test
  void withADeadlineAnOpenBreakerIsWaitedOutAndTheProbeSendsAsSoonAsTheBackendIsBack() {
    server = TestOtlpServer.start(Reply.status(503));
    OtlpHttpExporter exporter = exporter(Map.of("EXPORT_BREAKER_FAILURES", "1", "EXPORT_BREAKER_COOLDOWN", "30s"));
    exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1));
    int before = server.received().size();
    sleeps.clear();
    server.script(Reply.ok());

    assertEquals(ExportResult.success(), exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(60)));
    assertEquals(List.of(Duration.ofSeconds(30)), sleeps, "waited for the cool-down, once");
    assertEquals(before + 1, server.received().size(), "then one probe, which went through");
  }

  @Test
  void whileTheBackendStaysDownProbesFollowTheCoolDownUntilTheDeadlineLeavesNoRoomForAnother() {
    server = TestOtlpServer.start(Reply.status(503));
    OtlpHttpExporter exporter = exporter(Map.of("EXPORT_BREAKER_FAILURES", "1", "EXPORT_BREAKER_COOLDOWN", "30s"));
    exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(1));
    int before = server.received().size();
    sleeps.clear();

    ExportResult r = exporter.export(Signal.METRICS, metrics(1), 1, clock.instant().plusSeconds(100));
    assertEquals(ExportResult.Outcome.RETRYABLE, r.outcome());
    assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)), sleeps,
        "probes at 30, 60 and 90 s; 10 s left is no room for another cool-down");
    assertEquals(before + 3, server.received().size(), "one request per probe");
  }

  @Test
  void aPermanentRefusalDoesNotOpenTheBreaker() {
    server = TestOtlpServer.start(Reply.status(400));
    OtlpHttpExporter exporter = exporter(Map.of("EXPORT_BREAKER_FAILURES", "1"));

    for (int i = 0; i < 3; i++) {
      assertEquals(ExportResult.Outcome.PERMANENT, exporter.export(Signal.METRICS, metrics(1), 1).outcome());
    }
    assertEquals(3, server.received().size());
  }
}
