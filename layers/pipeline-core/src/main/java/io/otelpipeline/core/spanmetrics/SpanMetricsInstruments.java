package io.otelpipeline.core.spanmetrics;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Unit;

/** Span metrics' telemetry, with the Collector's spanmetrics connector names and the pipeline's about its shards. */
public final class SpanMetricsInstruments {
  /** Spans counted into the RED metrics. */
  public static final Counter SPANS = Counter.builder("otelcol_connector_spanmetrics_spans")
      .setUnit(Unit.COUNT)
      .setDescription("Spans counted into the RED metrics.")
      .build();
  /** Spans seen before, counted once. */
  public static final Counter DUPLICATE_SPANS = Counter.builder("otelcol_connector_spanmetrics_duplicate_spans")
      .setUnit(Unit.COUNT)
      .setDescription("Spans seen before (same trace id and span id), not counted again.")
      .build();
  /** Records a retried batch had already counted. */
  public static final Counter SKIPPED_RECORDS = Counter.builder("otelcol_connector_spanmetrics_skipped_records")
      .setUnit(Unit.COUNT)
      .setDescription("Records skipped, by reason: already_counted when the shard's saved state covers them (a retried batch).")
      .setDimensions("reason")
      .build();
  /** Records that went to the failure destination, whole or their undecodable spans. */
  public static final Counter REFUSED_RECORDS = Counter.builder("otelcol_connector_spanmetrics_refused_records")
      .setUnit(Unit.COUNT)
      .setDescription("Records that did not decode: set aside in the failure destination whole, or only their undecodable spans while the rest flow on.")
      .build();
  /** Spans of traces another shard owns since a reshard. */
  public static final Counter SPANS_OF_OTHER_SHARDS = Counter.builder("otelpipeline_spanmetrics_spans_of_other_shards")
      .setUnit(Unit.COUNT)
      .setDescription("Spans that landed on a shard that does not own their trace (a shard map older than a reshard);"
          + " ingest wrote them again to the shard that does, where they are counted.")
      .build();

  private SpanMetricsInstruments() {}
}
