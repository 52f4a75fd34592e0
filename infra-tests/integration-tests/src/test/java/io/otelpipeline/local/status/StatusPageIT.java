package io.otelpipeline.local.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.otelpipeline.local.LocalStack;
import io.otelpipeline.local.LocalStackOptions;
import io.otelpipeline.local.OtlpSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real browser: headless Chromium loads it from a local stack that has
 * taken real traffic from the OpenTelemetry SDK, runs its script, and the rendered DOM shows the
 * numbers the pipeline counted (the spans sent, all accepted, none refused; a row per consumer;
 * the charts drawn).
 */
class StatusPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int TRACES = 125;
  private static final int SPANS_PER_TRACE = 3;

  @Test
  void renderedPageShowsWhatThePipelineCounted() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "skipped: " + CHROMIUM + " is absent (Debian packages chromium and chromium-driver)");
    try (OtlpSink sink = OtlpSink.start();
        LocalStack stack = LocalStack.start(LocalStackOptions.defaults()
            .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
            .parameter("SamplerBatchingWindowSeconds", "0")
            .parameter("SpanMetricsBatchingWindowSeconds", "0")
            .schedules(false)
            .statusPage(0))) {
      send(stack);
      stack.awaitDrained(Duration.ofMinutes(2));
      int sent = TRACES * SPANS_PER_TRACE;
      assertEquals(sent, stack.status().intake().get("traces").ok(), "the stack counted what the SDK sent");

      String dom = dump(stack.statusPageUrl().orElseThrow());

      assertEquals(String.format(Locale.US, "%,d", sent), cell(dom, "traces-accepted"), "accepted spans on the page:\n" + dom);
      assertEquals("0", cell(dom, "traces-refused"));
      assertEquals("0", cell(dom, "metrics-accepted"));
      assertEquals(String.format(Locale.US, "%,d", stack.status().exported().get("traces").ok()), cell(dom, "traces-exported"));
      assertTrue(dom.contains("<td>TraceSamplerFunction</td>") && dom.contains("<td>SpanMetricsFunction</td>"), "a lag row per consumer:\n" + dom);
      assertTrue(Pattern.compile("<svg id=\"chart-intake\"[^>]*>.*<polyline", Pattern.DOTALL).matcher(dom).find(), "the intake chart has lines:\n" + dom);
      assertTrue(dom.contains("updated "), "the page fetched the status:\n" + dom);
    }
  }

  private static void send(LocalStack stack) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(stack.otlpEndpoint() + "/v1/traces")
        .addHeader("Authorization", "Bearer " + stack.ingestToken())
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "frontend")))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(100).build())
        .build();
    Tracer tracer = provider.get("status-page-it");
    for (int t = 0; t < TRACES; t++) {
      Span root = tracer.spanBuilder("GET /").setSpanKind(SpanKind.SERVER).startSpan();
      Context in = Context.root().with(root);
      tracer.spanBuilder("oteldemo.CartService/GetCart").setParent(in).setSpanKind(SpanKind.CLIENT).startSpan().end();
      tracer.spanBuilder("oteldemo.CurrencyService/Convert").setParent(in).setSpanKind(SpanKind.CLIENT).startSpan().end();
      root.end();
    }
    assertTrue(provider.forceFlush().join(1, TimeUnit.MINUTES).isSuccess(), "ingest accepted every export");
    provider.shutdown().join(1, TimeUnit.MINUTES);
  }

  /** The DOM after the page's script ran, from headless Chromium. */
  private static String dump(String url) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("status-page-chromium");
    List<String> command = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url);
    Process chromium = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = chromium.getInputStream().readAllBytes();
    assertTrue(chromium.waitFor(2, TimeUnit.MINUTES), "chromium finished");
    assertEquals(0, chromium.exitValue(), "chromium exit status");
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String cell(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
    assertTrue(m.find(), "element " + id + " in the page:\n" + dom);
    return m.group(1);
  }
}
