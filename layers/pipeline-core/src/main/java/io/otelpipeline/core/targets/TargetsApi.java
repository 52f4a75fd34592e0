package io.otelpipeline.core.targets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.auth.Authenticator;
import io.otelpipeline.core.auth.CollectorCredentials;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.Durations;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The targets API: services register and deregister, external collectors send heartbeats, and
 * Collectors and Prometheus servers read their share through the Target Allocator's endpoints
 * ({@code /scrape_configs}, {@code /jobs}, {@code /jobs/{job}/targets[?collector_id=]}), the last
 * in Prometheus' http_sd format.
 */
public final class TargetsApi {
  /** The longest a registration may live without renewal. */
  public static final Duration MAX_TTL = Duration.ofDays(7);
  /** The largest request body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Authenticator callers;
  private final CollectorCredentials collectorCredentials;
  private final ScrapeConfigs configs;
  private final TargetRegistry targets;
  private final CollectorRegistry collectors;
  private final AssignmentStore assignments;

  /**
   * @param callers who may call: bearer tokens, or everyone the Function URL let through (IAM)
   */
  public TargetsApi(
      Authenticator callers, CollectorCredentials collectorCredentials, ScrapeConfigs configs, TargetRegistry targets, CollectorRegistry collectors,
      AssignmentStore assignments) {
    this.callers = callers;
    this.collectorCredentials = collectorCredentials;
    this.configs = configs;
    this.targets = targets;
    this.collectors = collectors;
    this.assignments = assignments;
  }

  /** A request: method, path, raw query string (may be empty), headers (any case) and body. */
  public record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {}

  public record Response(int status, String contentType, byte[] body) {
    static Response json(int status, Object value) {
      try {
        return new Response(status, "application/json", JSON.writeValueAsBytes(value));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static Response error(int status, String message) {
      return json(status, Map.of("error", message));
    }
  }

  public Response handle(Request r) {
    List<String> parts = segments(r.path());
    String authorization = header(r.headers(), "authorization");
    Optional<String> collector = actingCollector(r, parts);
    if (collector.isPresent()) {
      if (!collectorCredentials.accepts(collector.get(), authorization)) {
        return Response.error(403, "acting as collector '" + collector.get() + "' needs that collector's own token"
            + " (COLLECTOR_TOKENS, or the CollectorTokenSecretName secret: collector_id=token)");
      }
    } else if (!callers.accepts(authorization)) {
      return Response.error(401, "missing or unknown bearer token (Authorization: Bearer <token>)");
    }
    if (r.body().length > MAX_BODY_BYTES) {
      return Response.error(413, "request body of " + r.body().length + " bytes is over the " + MAX_BODY_BYTES + " allowed");
    }
    try {
      return route(r, parts);
    } catch (InvalidTargetException e) {
      return Response.error(400, e.getMessage());
    }
  }

  /** The collector a request acts as: its heartbeat, or its own assigned targets. */
  private static Optional<String> actingCollector(Request r, List<String> p) {
    if (p.size() == 3 && p.get(0).equals("collectors") && p.get(2).equals("heartbeat")) {
      return Optional.of(p.get(1));
    }
    if (p.size() == 3 && p.get(0).equals("jobs") && p.get(2).equals("targets")) {
      return Optional.ofNullable(query(r.query()).get("collector_id"));
    }
    return Optional.empty();
  }

  private Response route(Request r, List<String> p) {
    String m = r.method().toUpperCase();
    if (p.equals(List.of("targets"))) {
      return switch (m) {
        case "PUT", "POST" -> register(body(r));
        case "DELETE" -> deregister(r);
        default -> Response.error(405, m + " /targets: use PUT to register or DELETE to deregister");
      };
    }
    if (p.size() == 3 && p.get(0).equals("collectors") && p.get(2).equals("heartbeat")) {
      if (!m.equals("POST") && !m.equals("PUT")) {
        return Response.error(405, "use POST for heartbeats");
      }
      JsonNode b = r.body().length == 0 ? JSON.createObjectNode() : body(r);
      Duration ttl = ttl(b).orElse(CollectorRegistry.DEFAULT_HEARTBEAT_TTL);
      collectors.heartbeat(p.get(1), ttl);
      return Response.json(200, Map.of("collector_id", p.get(1), "ttl_seconds", ttl.toSeconds()));
    }
    if (!m.equals("GET")) {
      return Response.error(405, m + " " + r.path() + " is not served");
    }
    if (p.equals(List.of("scrape_configs"))) {
      return Response.json(200, scrapeConfigs());
    }
    if (p.equals(List.of("jobs"))) {
      Map<String, Object> jobs = new TreeMap<>();
      for (String job : jobsOf(assignments.load())) {
        jobs.put(job, Map.of("_link", "/jobs/" + enc(job) + "/targets"));
      }
      return Response.json(200, jobs);
    }
    if (p.size() == 3 && p.get(0).equals("jobs") && p.get(2).equals("targets")) {
      Map<String, String> q = query(r.query());
      String job = p.get(1);
      String collector = q.get("collector_id");
      if (collector != null) {
        return Response.json(200, httpSd(assignments.collector(collector).targets(), job));
      }
      Assignment a = assignments.load();
      Map<String, Object> perCollector = new TreeMap<>();
      a.byCollector().forEach((c, ts) -> {
        List<Map<String, Object>> groups = httpSd(ts, job);
        perCollector.put(c, Map.of("_link", "/jobs/" + enc(job) + "/targets?collector_id=" + enc(c), "targets", groups));
      });
      return Response.json(200, perCollector);
    }
    return Response.error(404, "no route for " + r.path() + " (targets, collectors/{id}/heartbeat, scrape_configs, jobs, jobs/{job}/targets)");
  }

  private Response register(JsonNode b) {
    String job = text(b, "job");
    String address = text(b, "address");
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = b.get("labels");
    if (l != null && !l.isNull()) {
      if (!l.isObject()) {
        throw new InvalidTargetException("labels", "must be an object of label names to string values");
      }
      l.fields().forEachRemaining(e -> {
        if (!e.getValue().isValueNode()) {
          throw new InvalidTargetException("labels", "value of '" + e.getKey() + "' must be a string");
        }
        labels.put(e.getKey(), e.getValue().asText());
      });
    }
    Optional<Duration> interval = Optional.empty();
    JsonNode i = b.get("interval");
    if (i != null && !i.isNull()) {
      try {
        interval = Optional.of(i.isNumber() ? Duration.ofMillis((long) (i.asDouble() * 1000)) : Durations.parse(i.asText(), "interval"));
      } catch (ConfigException e) {
        throw new InvalidTargetException("interval", "'" + i.asText() + "' is not a duration (use forms like 30s, 1m)");
      }
    }
    Optional<Duration> ttl = ttl(b);
    TargetEntry entry = new TargetEntry(job, address, labels, interval, TargetSource.REGISTERED);
    ScrapeTarget resolved = entry.resolve(configs);
    targets.register(job, address, labels, interval, ttl);
    Map<String, Object> out = new LinkedHashMap<>(TargetJson.toMap(resolved));
    ttl.ifPresent(t -> out.put("ttl_seconds", t.toSeconds()));
    return Response.json(200, out);
  }

  private Response deregister(Request r) {
    Map<String, String> q = query(r.query());
    String job;
    String address;
    if (q.containsKey("job") || r.body().length == 0) {
      job = q.get("job");
      address = q.get("address");
    } else {
      JsonNode b = body(r);
      job = text(b, "job");
      address = text(b, "address");
    }
    if (job == null) {
      throw new InvalidTargetException("job", "missing");
    }
    ScrapeTarget.validateAddress(address);
    boolean existed = targets.deregister(job, address);
    return existed ? Response.json(200, Map.of("job", job, "address", address, "deleted", true)) : Response.error(404, "no registered target job=" + job + " address=" + address);
  }

  private Map<String, Object> scrapeConfigs() {
    Map<String, Object> out = new TreeMap<>();
    configs.jobs().forEach((name, job) -> out.put(name, job.toScrapeConfig()));
    for (TargetEntry e : targets.entries(problem -> {})) {
      if (!out.containsKey(e.job())) {
        try {
          out.put(e.job(), ScrapeJob.defaults(e.job(), e.interval().orElse(ScrapeTarget.DEFAULT_INTERVAL)).toScrapeConfig());
        } catch (InvalidTargetException ignored) {
          // an unreadable table item is reported by the allocator; the API lists the valid jobs
        }
      }
    }
    return out;
  }

  private static List<String> jobsOf(Assignment a) {
    return a.byCollector().values().stream().flatMap(List::stream).map(ScrapeTarget::job).distinct().sorted().toList();
  }

  /** Targets of one job grouped by identical labels, as Prometheus' http_sd expects. */
  static List<Map<String, Object>> httpSd(List<ScrapeTarget> targets, String job) {
    Map<Map<String, String>, List<String>> groups = new LinkedHashMap<>();
    for (ScrapeTarget t : targets) {
      if (!t.job().equals(job)) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>(t.labels());
      labels.put("__scheme__", t.scheme());
      labels.put("__metrics_path__", t.metricsPath());
      groups.computeIfAbsent(labels, k -> new ArrayList<>()).add(t.address());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    groups.forEach((labels, addresses) -> out.add(Map.of("targets", addresses, "labels", labels)));
    return out;
  }

  private static Optional<Duration> ttl(JsonNode b) {
    JsonNode t = b.get("ttl_seconds");
    if (t == null || t.isNull()) {
      return Optional.empty();
    }
    if (!t.canConvertToLong() || t.asLong() <= 0 || t.asLong() > MAX_TTL.toSeconds()) {
      throw new InvalidTargetException("ttl_seconds", "'" + t.asText() + "' must be a whole number of seconds from 1 to " + MAX_TTL.toSeconds());
    }
    return Optional.of(Duration.ofSeconds(t.asLong()));
  }

  private static String text(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull() || !v.isTextual()) {
      throw new InvalidTargetException(field, "missing or not a string");
    }
    return v.asText();
  }

  private static JsonNode body(Request r) {
    try {
      JsonNode n = JSON.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw new InvalidTargetException("body", "must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new InvalidTargetException("body", "not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new InvalidTargetException("body", "cannot be read: " + e.getMessage());
    }
  }

  private static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
