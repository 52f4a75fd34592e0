package io.otelpipeline.local;

import io.otelpipeline.core.testing.LocalPorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real node_exporters, one registered through the targets API and one in the
 * {@code prometheus} receiver's scrape_configs of PIPELINE_CONFIG, and a target nobody listens
 * on, and one that redirects to a URL without a parsable host: one run of the allocator's schedule
 * starts the scraper, whose metrics reach a test OTLP backend with each target's job and instance
 * as its resource, and the dead and redirecting targets report {@code up} 0 beside the others.
 * Registration refuses addresses the scraper could not parse.
 */
class ScrapingIT {
  private static final String REGISTERED_JOB = "node-registered";
  private static final String CONFIGURED_JOB = "node-configured";
  private static final Duration SCRAPED = Duration.ofSeconds(30);

  private static PackagedServer registeredExporter;
  private static PackagedServer configuredExporter;
  private static HttpServer redirecting;
  private static Path config;
  private static OtlpSink sink;
  private static LocalStack stack;

  @BeforeAll
  static void start() throws IOException {
    registeredExporter = PackagedServer.nodeExporter();
    configuredExporter = PackagedServer.nodeExporter();
    redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    redirecting.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Location", "http://a_b/metrics");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    redirecting.start();
    config = Files.createTempFile("scraping-it-pipeline", ".yaml");
    Files.writeString(config, """
        receivers:
          prometheus:
            config:
              scrape_configs:
                - job_name: %s
                  static_configs:
                    - targets: ["%s"]
                      labels:
                        rack: r1
        """.formatted(CONFIGURED_JOB, configuredExporter.address()));
    sink = OtlpSink.start();
    stack = LocalStack.start(LocalStackOptions.defaults()
        .parameter("AllowPrivateTargets", "true")
        .env("SCRAPE_WINDOW", "1s")
        .env("PIPELINE_CONFIG", config.toString())
        .env("EXPORT_OTLP_ENDPOINT", sink.endpoint())
        .schedules(false));
  }

  @AfterAll
  static void stop() throws IOException {
    if (stack != null) {
      stack.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (redirecting != null) {
      redirecting.stop(0);
    }
    for (PackagedServer s : new PackagedServer[] {registeredExporter, configuredExporter}) {
      if (s != null) {
        s.close();
      }
    }
    if (config != null) {
      Files.deleteIfExists(config);
    }
  }

  @Test
  void registeredAndConfiguredNodeExportersAreScrapedOnScheduleAndADeadTargetGetsUpZero() {
    String deadAddress = "127.0.0.1:" + LocalPorts.free();
    String redirectAddress = "127.0.0.1:" + redirecting.getAddress().getPort();
    TargetsApiClient api = new TargetsApiClient(stack.targetsEndpoint(), stack.ingestToken());
    api.register(REGISTERED_JOB, registeredExporter.address());
    api.register(REGISTERED_JOB, deadAddress);
    api.register(REGISTERED_JOB, redirectAddress);
    for (String unparsable : List.of("1.2.3:80", "0251.0376.0251.0376:80", "a_b:80")) {
      HttpResponse<String> refused = api.registerRefused(REGISTERED_JOB, unparsable);
      assertEquals(400, refused.statusCode(), unparsable + ": " + refused.body());
      assertTrue(refused.body().contains("address: '" + unparsable + "'"), "the refusal names the address: " + refused.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> run = (Map<String, Object>) stack.fireSchedule("TargetAllocatorFunction");
    assertEquals(4, run.get("targets"), "the allocator sees the configured target and the three registered ones: " + run);
    assertEquals(List.of(), run.get("problems"), "allocator run " + run);

    Set<String> instances = Set.of(registeredExporter.address(), configuredExporter.address(), deadAddress, redirectAddress);
    Map<String, ResourceMetrics> byInstance = Await.until("every target's scrape reaches the backend", SCRAPED,
        () -> byInstance(sink.metricRequests()),
        seen -> seen.keySet().containsAll(instances));

    assertEquals(instances, byInstance.keySet(), "one resource per target and nothing else");
    assertEquals(0, gauge(byInstance.get(redirectAddress), "up").getAsDouble(),
        "a target that redirects to a URL without a parsable host is down, and only it");
    assertNodeExporterScraped(byInstance.get(registeredExporter.address()), REGISTERED_JOB);
    assertNodeExporterScraped(byInstance.get(configuredExporter.address()), CONFIGURED_JOB);
    assertEquals("r1", attribute(gauge(byInstance.get(configuredExporter.address()), "node_exporter_build_info").getAttributesList(), "rack"),
        "static_configs labels are on every point of the configured target");

    ResourceMetrics dead = byInstance.get(deadAddress);
    assertEquals(REGISTERED_JOB, attribute(dead.getResource().getAttributesList(), "service.name"));
    assertEquals(0, gauge(dead, "up").getAsDouble(), "a target nobody listens on is down");
    assertEquals(0, gauge(dead, "scrape_samples_scraped").getAsDouble());
    assertEquals(Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped"), names(dead),
        "a down target has only the scrape's own metrics");
    assertEquals(List.of(), DashboardQueries.of(ProjectDirectory.find())
            .unmatched(Set.of("target-allocator", "scraper"), Set.of("metrics"), TelemetryTotals.global().written().keySet()),
        "dashboard or alarm queries that read no metric the scraping functions emit");
  }

  private static void assertNodeExporterScraped(ResourceMetrics resource, String job) {
    String instance = attribute(resource.getResource().getAttributesList(), "service.instance.id");
    assertEquals(job, attribute(resource.getResource().getAttributesList(), "service.name"), instance + ": service.name is the job");
    assertEquals(1, gauge(resource, "up").getAsDouble(), instance + " is up");
    assertTrue(gauge(resource, "scrape_duration_seconds").getAsDouble() > 0, instance + ": scrape_duration_seconds");
    double samples = gauge(resource, "scrape_samples_scraped").getAsDouble();
    assertTrue(samples > 100, instance + ": a node_exporter exposes hundreds of samples, scrape_samples_scraped says " + samples);
    assertEquals(1, gauge(resource, "node_exporter_build_info").getAsDouble(), instance + ": node_exporter_build_info");

    Metric cpu = metric(resource, "node_cpu_seconds_total");
    assertTrue(cpu.hasSum() && cpu.getSum().getIsMonotonic(), instance + ": node_cpu_seconds_total is a monotonic sum");
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, cpu.getSum().getAggregationTemporality());
    Set<String> modes = cpu.getSum().getDataPointsList().stream().map(p -> attribute(p.getAttributesList(), "mode")).collect(Collectors.toSet());
    assertTrue(modes.containsAll(Set.of("user", "system", "idle")), instance + ": CPU modes " + modes);
    for (NumberDataPoint p : cpu.getSum().getDataPointsList()) {
      assertTrue(p.getStartTimeUnixNano() > 0 && p.getStartTimeUnixNano() <= p.getTimeUnixNano(), instance + ": a counter point has its start time: " + p);
    }
  }

  /** Each target's resource in what the backend received, by service.instance.id. */
  private static Map<String, ResourceMetrics> byInstance(List<ExportMetricsServiceRequest> requests) {
    Map<String, ResourceMetrics> out = new TreeMap<>();
    for (ExportMetricsServiceRequest r : requests) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        String instance = attribute(rm.getResource().getAttributesList(), "service.instance.id");
        if (out.put(instance, rm) != null) {
          throw new AssertionError(instance + " was exported twice from one scheduled run");
        }
      }
    }
    return out;
  }

  private static Set<String> names(ResourceMetrics resource) {
    return resource.getScopeMetricsList().stream().flatMap(s -> s.getMetricsList().stream()).map(Metric::getName).collect(Collectors.toSet());
  }

  private static Metric metric(ResourceMetrics resource, String name) {
    for (ScopeMetrics scope : resource.getScopeMetricsList()) {
      for (Metric m : scope.getMetricsList()) {
        if (m.getName().equals(name)) {
          return m;
        }
      }
    }
    throw new AssertionError("no metric " + name + " among " + names(resource));
  }

  /** The single point of a gauge. */
  private static NumberDataPoint gauge(ResourceMetrics resource, String name) {
    Metric m = metric(resource, name);
    assertTrue(m.hasGauge(), name + " is a gauge: " + m);
    assertEquals(1, m.getGauge().getDataPointsCount(), name + " has one point");
    return m.getGauge().getDataPoints(0);
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(a -> a.getKey().equals(key)).map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
  }
}
