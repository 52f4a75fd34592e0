package io.otelpipeline.core.servicegraph;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Unit;

/** The service graph's telemetry, with the Collector's servicegraph connector names. */
final class ServiceGraphInstruments {
  /** Edges drawn, paired or to a virtual node. */
  static final Counter TOTAL_EDGES = Counter.builder("otelcol_connector_servicegraph_total_edges")
      .setUnit(Unit.COUNT)
      .setDescription("Edges drawn: a client and a server half paired, a call to a database, or an expired client half to a virtual node.")
      .build();
  /** Halves whose partner never came within the store's TTL. */
  static final Counter EXPIRED_EDGES = Counter.builder("otelcol_connector_servicegraph_expired_edges")
      .setUnit(Unit.COUNT)
      .setDescription("Halves of calls that expired, their partner not seen within store.ttl of stream time.")
      .build();
  /** Halves that could not wait or pair. */
  static final Counter DROPPED_SPANS = Counter.builder("otelcol_connector_servicegraph_dropped_spans")
      .setUnit(Unit.COUNT)
      .setDescription("Spans dropped from pairing: store.max_items halves already waited, or their call already had a half of that side.")
      .build();

  private ServiceGraphInstruments() {}
}
