package io.otelpipeline.core.servicegraph;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one span tells about a call: the client side (a CLIENT or PRODUCER span, keyed by its own
 * span id) or the server side (a SERVER or CONSUMER span, keyed by its parent span id). Two
 * halves with the same trace id and key span id make one edge of the service graph.
 *
 * @param keySpanId the client span's id, in hex: the client's own id, the server's parent id
 * @param connectionType empty for plain calls, {@code messaging_system} for producer/consumer
 * @param dimensions the configured dimensions, already prefixed {@code client_} or {@code server_}
 * @param peer the first {@code virtual_node_peer_attributes} value of a client span, or empty
 */
public record EdgeHalf(
    String traceId,
    String keySpanId,
    Side side,
    String service,
    String connectionType,
    double latencySeconds,
    boolean failed,
    Map<String, String> dimensions,
    String peer) {

  public enum Side {
    CLIENT,
    SERVER
  }

  public EdgeHalf {
    dimensions = new TreeMap<>(dimensions);
  }

  /** Where both halves of one call meet: trace id and client span id. */
  public String key() {
    return traceId + ":" + keySpanId;
  }

  /** The edge these two halves make, this one being either side. */
  public Edge pairWith(EdgeHalf other) {
    EdgeHalf client = side == Side.CLIENT ? this : other;
    EdgeHalf server = side == Side.CLIENT ? other : this;
    Map<String, String> dims = new TreeMap<>(client.dimensions);
    dims.putAll(server.dimensions);
    String type = server.connectionType.isEmpty() ? client.connectionType : server.connectionType;
    return new Edge(
        client.service, server.service, type, client.failed || server.failed, client.latencySeconds, server.latencySeconds, dims);
  }
}
