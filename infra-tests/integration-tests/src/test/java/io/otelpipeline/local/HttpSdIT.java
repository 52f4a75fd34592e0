package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus server as an external collector: it sends heartbeats to the targets API and
 * discovers its targets through {@code http_sd_configs} at
 * {@code /jobs/{job}/targets?collector_id=...}, and ends up with exactly the targets the allocator
 * assigned to it, before and after another collector joins.
 */
class HttpSdIT {
  private static final String JOB = "node";
  private static final String OTHER_JOB = "other";
  private static final String COLLECTOR = "prometheus-a";
  private static final long HEARTBEAT_TTL_SECONDS = 600;
  private static final Duration DISCOVERED = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static LocalStack stack;
  private static PackagedServer prometheus;

  @BeforeAll
  static void start() {
    stack = LocalStack.start(LocalStackOptions.defaults()
        .env("SCRAPE_WINDOW", "1s")
        .env("COLLECTOR_TOKENS", TargetsApiClient.collectorTokens(COLLECTOR, "collector-b", "collector-c"))
        .schedules(false));
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void prometheusDiscoversExactlyTheTargetsAssignedToItsCollectorId() {
    TargetsApiClient api = new TargetsApiClient(stack.targetsEndpoint(), stack.ingestToken());
    for (int i = 1; i <= 12; i++) {
      api.register(JOB, "127.0.0.1:" + (20_000 + i));
    }
    for (int i = 1; i <= 3; i++) {
      api.register(OTHER_JOB, "127.0.0.1:" + (21_000 + i));
    }
    api.heartbeat(COLLECTOR, HEARTBEAT_TTL_SECONDS);
    api.heartbeat("collector-b", HEARTBEAT_TTL_SECONDS);
    assertEquals(403, api.heartbeatAs("invented", stack.ingestToken()).statusCode(),
        "the registrants' token cannot heartbeat a collector into the allocation");
    assertEquals(403, api.heartbeatAs("collector-b", TargetsApiClient.collectorToken(COLLECTOR)).statusCode(),
        "one collector cannot act as another");

    Map<String, Object> run = allocate();
    assertEquals(List.of("collector-b", COLLECTOR), run.get("externalCollectors"), "allocator run " + run);
    Set<String> assigned = assignedTo(api, COLLECTOR);
    assertTrue(!assigned.isEmpty() && assigned.size() < 12, "the collector has a share of the job, not all or nothing: " + assigned);

    prometheus = PackagedServer.prometheus("""
        global:
          scrape_interval: 1m
        scrape_configs:
          - job_name: %s
            http_sd_configs:
              - url: "%s/jobs/%s/targets?collector_id=%s"
                refresh_interval: 1s
                authorization:
                  # http_sd sends the bare credentials unless the type is named
                  type: Bearer
                  credentials: "%s"
        """.formatted(JOB, stack.targetsEndpoint(), JOB, COLLECTOR, TargetsApiClient.collectorToken(COLLECTOR)));
    awaitDiscovered("Prometheus discovers the targets assigned to " + COLLECTOR, assigned);

    api.heartbeat("collector-c", HEARTBEAT_TTL_SECONDS);
    run = allocate();
    assertEquals(List.of("collector-b", "collector-c", COLLECTOR), run.get("externalCollectors"), "allocator run " + run);
    Set<String> reassigned = assignedTo(api, COLLECTOR);
    assertNotEquals(assigned, reassigned, "a collector joining takes some of " + COLLECTOR + "'s targets");
    awaitDiscovered("Prometheus follows its new assignment", reassigned);
  }

  private static void awaitDiscovered(String what, Set<String> expected) {
    try {
      Await.until(what + " " + expected, DISCOVERED, HttpSdIT::discovered, expected::equals);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nPrometheus' output:\n" + prometheus.output(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> allocate() {
    Map<String, Object> run = (Map<String, Object>) stack.fireSchedule("TargetAllocatorFunction");
    assertEquals(List.of(), run.get("problems"), "allocator run " + run);
    return run;
  }

  /**
   * The job's targets assigned to a collector, as its http_sd endpoint gives them, checked against
   * the per-collector listing of {@code GET /jobs/{job}/targets}.
   */
  private static Set<String> assignedTo(TargetsApiClient api, String collector) {
    Set<String> httpSd = new TreeSet<>();
    for (JsonNode group : api.targetsOf(JOB, collector)) {
      assertEquals("/metrics", group.get("labels").get("__metrics_path__").asText(), "group " + group);
      group.get("targets").forEach(t -> httpSd.add(t.asText()));
    }
    Set<String> listed = new TreeSet<>();
    api.collectorByAddress(JOB).forEach((address, c) -> {
      if (c.equals(collector)) {
        listed.add(address);
      }
    });
    assertEquals(listed, httpSd, "http_sd for " + collector + " agrees with GET /jobs/" + JOB + "/targets");
    return httpSd;
  }

  /** The addresses of Prometheus' active targets in the job's scrape pool. */
  private static Set<String> discovered() {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + "/api/v1/targets?state=active")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), "Prometheus /api/v1/targets: " + r.body());
      Set<String> out = new TreeSet<>();
      for (JsonNode target : JSON.readTree(r.body()).get("data").get("activeTargets")) {
        assertEquals(JOB, target.get("scrapePool").asText(), "Prometheus has only the http_sd job: " + target);
        out.add(target.get("discoveredLabels").get("__address__").asText());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("Prometheus /api/v1/targets: " + e.getMessage() + "\n" + prometheus.output(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
