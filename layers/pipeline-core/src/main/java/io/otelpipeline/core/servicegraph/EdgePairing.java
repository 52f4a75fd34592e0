package io.otelpipeline.core.servicegraph;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs the client and server halves of calls through the {@link WaitingHalves} of a shard's
 * state, and accounts for halves whose partner never came, in the shard's stream time.
 *
 * <p>As in the Collector: CLIENT and PRODUCER spans are client halves keyed by their span id,
 * SERVER and CONSUMER spans server halves keyed by their parent span id; a client span naming a
 * database ({@code database_name_attributes}) is a complete edge to that database. A half whose
 * partner is not waiting waits {@code store.ttl} of stream time; when {@code store.max_items}
 * halves already wait, it is dropped (counted, as the Collector counts spans that do not fit its
 * store). Unlike the Collector, which waits for a root server span to expire before drawing it
 * from the virtual {@code user} node, a server span with no parent is drawn at once: it can never
 * have a client. An expired client half becomes an edge to the virtual node its peer attributes
 * name (or {@code unknown}); every expired half is also counted as unpaired.
 *
 * <p>Pairing changes the waiting halves in place: the caller saves them with the shard's state
 * only once the edges are exported, and a retry starts again from the state saved before.
 */
public final class EdgePairing {
  private static final HexFormat HEX = HexFormat.of();

  private final ServiceGraphConfig config;
  private final WaitingHalves waiting;
  private final List<Edge> edges = new ArrayList<>();
  private final List<EdgeHalf> unpaired = new ArrayList<>();
  private long droppedSpans;
  private int parked;

  private EdgePairing(ServiceGraphConfig config, WaitingHalves waiting) {
    this.config = config;
    this.waiting = waiting;
  }

  public static EdgePairing create(ServiceGraphConfig config, WaitingHalves waiting) {
    return new EdgePairing(config, waiting);
  }

  /** What the pairing produced so far: complete edges, expired halves, spans dropped, halves parked. */
  public record Result(List<Edge> edges, List<EdgeHalf> unpaired, long droppedSpans, int parked) {}

  /** Adds one span of a resource, read when the shard's stream time was {@code now}. */
  public void add(Resource resource, Span span, Instant now) {
    String service = stringAttribute(resource.getAttributesList(), "service.name");
    if (service == null) {
      return;
    }
    boolean failed = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
    double latency = Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e9;
    String traceId = HEX.formatHex(span.getTraceId().toByteArray());
    switch (span.getKind()) {
      case SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER -> {
        String type = span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER ? Edge.MESSAGING_SYSTEM : "";
        Map<String, String> dims = dimensions("client_", resource, span);
        for (String attribute : config.databaseNameAttributes()) {
          String database = firstOf(attribute, resource, span);
          if (database != null) {
            edges.add(new Edge(service, database, Edge.DATABASE, failed, latency, latency, dims));
            return;
          }
        }
        String peer = "";
        for (String attribute : config.virtualNodePeerAttributes()) {
          String value = stringAttribute(span.getAttributesList(), attribute);
          if (value != null) {
            peer = value;
            break;
          }
        }
        offer(new EdgeHalf(traceId, HEX.formatHex(span.getSpanId().toByteArray()), EdgeHalf.Side.CLIENT, service, type, latency, failed, dims, peer), now);
      }
      case SPAN_KIND_SERVER, SPAN_KIND_CONSUMER -> {
        String type = span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER ? Edge.MESSAGING_SYSTEM : "";
        Map<String, String> dims = dimensions("server_", resource, span);
        if (span.getParentSpanId().isEmpty()) {
          if (!config.virtualNodePeerAttributes().isEmpty()) {
            edges.add(new Edge(Edge.USER, service, Edge.VIRTUAL_NODE, failed, 0, latency, dims));
          }
          return;
        }
        offer(new EdgeHalf(traceId, HEX.formatHex(span.getParentSpanId().toByteArray()), EdgeHalf.Side.SERVER, service, type, latency, failed, dims, ""), now);
      }
      default -> {}
    }
  }

  private void offer(EdgeHalf half, Instant now) {
    WaitingHalves.Waiting other = waiting.get(half.key());
    if (other == null) {
      if (waiting.size() >= config.storeMaxItems()) {
        droppedSpans++;
        return;
      }
      waiting.park(half, now.plus(config.storeTtl()));
      parked++;
    } else if (other.half().side() != half.side()) {
      waiting.remove(half.key());
      edges.add(half.pairWith(other.half()));
    } else {
      // a second client (or server) half for one call: the first one stays, this one cannot pair
      droppedSpans++;
    }
  }

  /** Accounts for the halves whose due time the shard's stream time has passed. */
  public void expire(Instant now) {
    for (EdgeHalf half : waiting.expire(now)) {
      unpaired.add(half);
      if (half.side() == EdgeHalf.Side.CLIENT && !config.virtualNodePeerAttributes().isEmpty()) {
        edges.add(
            new Edge(half.service(), half.peer().isEmpty() ? "unknown" : half.peer(), Edge.VIRTUAL_NODE, half.failed(),
                half.latencySeconds(), 0, half.dimensions()));
      }
    }
  }

  public Result result() {
    return new Result(List.copyOf(edges), List.copyOf(unpaired), droppedSpans, parked);
  }

  private Map<String, String> dimensions(String prefix, Resource resource, Span span) {
    Map<String, String> dims = new LinkedHashMap<>();
    for (String d : config.dimensions()) {
      String value = firstOf(d, resource, span);
      if (value != null) {
        dims.put(prefix + d, value);
      }
    }
    return dims;
  }

  /** The Collector looks a dimension up in the resource first, then in the span. */
  private static String firstOf(String key, Resource resource, Span span) {
    String v = stringAttribute(resource.getAttributesList(), key);
    return v != null ? v : stringAttribute(span.getAttributesList(), key);
  }

  static String stringAttribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        AnyValue v = kv.getValue();
        return switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValue();
          case INT_VALUE -> Long.toString(v.getIntValue());
          case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
          case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
          default -> null;
        };
      }
    }
    return null;
  }
}
