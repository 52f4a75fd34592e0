package io.otelpipeline.core.servicegraph;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs the client and server halves of calls within one batch, then through the
 * {@link PendingEdgeStore} across batches, and accounts for halves whose partner never came.
 *
 * <p>As in the Collector: CLIENT and PRODUCER spans are client halves keyed by their span id,
 * SERVER and CONSUMER spans server halves keyed by their parent span id; a client span naming a
 * database ({@code database_name_attributes}) is a complete edge to that database. Unlike the
 * Collector, which waits for a root server span to expire before drawing it from the virtual
 * {@code user} node, a server span with no parent is drawn at once: it can never have a client.
 * An expired client half becomes an edge to the virtual node its peer attributes name (or
 * {@code unknown}); every expired half is also counted as unpaired.
 */
public final class EdgePairing {
  private static final HexFormat HEX = HexFormat.of();

  private final ServiceGraphConfig config;
  private final PendingEdgeStore store;
  private final Clock clock;
  private final Map<String, Pending> inBatch = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private long droppedSpans;

  private record Pending(EdgeHalf half, String claim) {}

  private EdgePairing(ServiceGraphConfig config, PendingEdgeStore store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
  }

  public static EdgePairing create(ServiceGraphConfig config, PendingEdgeStore store, Clock clock) {
    return new EdgePairing(config, store, clock);
  }

  /** What the batch produced: complete edges, expired halves, spans dropped, and the leases to release after export. */
  public record Result(List<Edge> edges, List<EdgeHalf> unpaired, long droppedSpans, int parked, List<EdgeHalf> leased) {}

  /**
   * Adds one span of a resource; {@code claim} names the stream record it came from, so that a
   * retried record pairs exactly as it did before.
   */
  public void add(Resource resource, Span span, String claim) {
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
        offer(new EdgeHalf(traceId, HEX.formatHex(span.getSpanId().toByteArray()), EdgeHalf.Side.CLIENT, service, type, latency, failed, dims, peer), claim);
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
        offer(new EdgeHalf(traceId, HEX.formatHex(span.getParentSpanId().toByteArray()), EdgeHalf.Side.SERVER, service, type, latency, failed, dims, ""), claim);
      }
      default -> {}
    }
  }

  private void offer(EdgeHalf half, String claim) {
    Pending waiting = inBatch.get(half.key());
    if (waiting == null) {
      inBatch.put(half.key(), new Pending(half, claim));
    } else if (waiting.half().side() != half.side()) {
      inBatch.remove(half.key());
      edges.add(half.pairWith(waiting.half()));
    } else {
      droppedSpans++;
    }
  }

  /**
   * Pairs what is left through the store, parks at most {@code store.max_items} halves (the rest
   * are counted as dropped), and leases the halves that are due. {@code batchClaim} names this
   * batch for the leases.
   */
  public Result finish(String batchClaim) {
    Instant now = clock.instant();
    Instant due = now.plus(config.storeTtl());
    List<EdgeHalf> unpaired = new ArrayList<>();
    int parked = 0;
    int offered = 0;
    for (Pending p : inBatch.values()) {
      if (offered >= config.storeMaxItems()) {
        droppedSpans++;
        continue;
      }
      offered++;
      PendingEdgeStore.Outcome outcome = store.pairOrPark(p.half(), p.claim(), now, due);
      if (outcome instanceof PendingEdgeStore.Outcome.Paired paired) {
        edges.add(p.half().pairWith(paired.other()));
      } else if (outcome instanceof PendingEdgeStore.Outcome.Parked) {
        parked++;
      } else {
        unpaired.add(p.half());
      }
    }
    inBatch.clear();
    List<EdgeHalf> leased = store.leaseExpired(now, batchClaim, config.storeMaxItems());
    for (EdgeHalf half : leased) {
      unpaired.add(half);
      if (half.side() == EdgeHalf.Side.CLIENT && !config.virtualNodePeerAttributes().isEmpty()) {
        edges.add(
            new Edge(half.service(), half.peer().isEmpty() ? "unknown" : half.peer(), Edge.VIRTUAL_NODE, half.failed(),
                half.latencySeconds(), 0, half.dimensions()));
      }
    }
    return new Result(List.copyOf(edges), List.copyOf(unpaired), droppedSpans, parked, leased);
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
