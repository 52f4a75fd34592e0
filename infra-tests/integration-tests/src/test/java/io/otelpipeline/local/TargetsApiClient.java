package io.otelpipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The targets API as a registrant or a collector calls it: JSON over HTTP, with the registrants'
 * bearer token, or, acting as a collector, that collector's own ({@link #collectorToken}).
 */
final class TargetsApiClient {
  /** COLLECTOR_TOKENS for these collectors, each with the token {@link #collectorToken} gives it. */
  static String collectorTokens(String... collectorIds) {
    return String.join(",", java.util.Arrays.stream(collectorIds).map(id -> id + "=" + collectorToken(id)).toList());
  }

  /** The token a test gives a collector. */
  static String collectorToken(String collectorId) {
    return "collector-token-" + collectorId;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String endpoint;
  private final String token;

  TargetsApiClient(String endpoint, String token) {
    this.endpoint = endpoint;
    this.token = token;
  }

  /** {@code PUT /targets}: registers {@code address} under {@code job}. */
  JsonNode register(String job, String address) {
    return send("PUT", "/targets", Map.of("job", job, "address", address));
  }

  /** {@code PUT /targets} expected to be refused: the status and the error body. */
  HttpResponse<String> registerRefused(String job, String address) {
    return exchange("PUT", "/targets", Map.of("job", job, "address", address));
  }

  /** {@code POST /collectors/{id}/heartbeat} with the seconds it stays live without another. */
  JsonNode heartbeat(String collectorId, long ttlSeconds) {
    return send("POST", "/collectors/" + collectorId + "/heartbeat", Map.of("ttl_seconds", ttlSeconds), collectorToken(collectorId));
  }

  /** {@code POST /collectors/{id}/heartbeat} with a token of the caller's choosing: the status and the error body. */
  HttpResponse<String> heartbeatAs(String collectorId, String bearer) {
    return exchange("POST", "/collectors/" + collectorId + "/heartbeat", Map.of("ttl_seconds", 60), bearer);
  }

  JsonNode get(String pathAndQuery) {
    return send("GET", pathAndQuery, null);
  }

  /** {@code GET /jobs/{job}/targets?collector_id=...} as that collector. */
  JsonNode targetsOf(String job, String collectorId) {
    return send("GET", "/jobs/" + job + "/targets?collector_id=" + collectorId, null, collectorToken(collectorId));
  }

  /** {@code GET /jobs/{job}/targets}: each target's address with the collector it is assigned to. */
  Map<String, String> collectorByAddress(String job) {
    Map<String, String> out = new TreeMap<>();
    JsonNode perCollector = get("/jobs/" + job + "/targets");
    for (Iterator<Map.Entry<String, JsonNode>> it = perCollector.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> collector = it.next();
      for (JsonNode group : collector.getValue().get("targets")) {
        for (JsonNode address : group.get("targets")) {
          String was = out.put(address.asText(), collector.getKey());
          if (was != null) {
            throw new AssertionError(address.asText() + " is assigned to both " + was + " and " + collector.getKey() + ": " + perCollector);
          }
        }
      }
    }
    return out;
  }

  private JsonNode send(String method, String path, Object body) {
    return send(method, path, body, token);
  }

  private JsonNode send(String method, String path, Object body, String bearer) {
    HttpResponse<String> response = exchange(method, path, body, bearer);
    if (response.statusCode() != 200) {
      throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
    }
  }

  private HttpResponse<String> exchange(String method, String path, Object body) {
    return exchange(method, path, body, token);
  }

  private HttpResponse<String> exchange(String method, String path, Object body, String bearer) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + bearer);
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
