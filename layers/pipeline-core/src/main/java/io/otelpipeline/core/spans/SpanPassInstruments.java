package io.otelpipeline.core.spans;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Unit;

/**
 * The span pass's telemetry. The pass counts what span metrics counted before it fed the service
 * graph too, under the same names: the spanmetrics connector's, and the pipeline's about shards.
 */
final class SpanPassInstruments {
  static final Counter SPANS = Counter.builder("otelcol_connector_spanmetrics_spans")
      .setUnit(Unit.COUNT)
      .setDescription("Spans the pass fed to the connectors, each counted once.")
      .build();
  static final Counter DUPLICATE_SPANS = Counter.builder("otelcol_connector_spanmetrics_duplicate_spans")
      .setUnit(Unit.COUNT)
      .setDescription("Spans seen before (same trace id and span id), not fed again.")
      .build();
  static final Counter SPANS_OF_OTHER_SHARDS = Counter.builder("otelpipeline_spanmetrics_spans_of_other_shards")
      .setUnit(Unit.COUNT)
      .setDescription("Spans that landed on a shard that does not own their trace (a shard map older than a reshard);"
          + " ingest wrote them again to the shard that does, where they are counted.")
      .build();
  static final Counter REFUSED_RECORDS = Counter.builder("otelcol_connector_spanmetrics_refused_records")
      .setUnit(Unit.COUNT)
      .setDescription("Records that did not decode: set aside in the failure destination whole, or only their undecodable spans while the rest flow on.")
      .build();

  private SpanPassInstruments() {}
}
