package io.otelpipeline.core.sampling;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Distribution;
import io.otelpipeline.core.telemetry.Gauge;
import io.otelpipeline.core.telemetry.Unit;

/** The trace sampler's telemetry: the tail sampling processor's own names, and the pipeline's about the shard's state. */
final class TailSamplingInstruments {
  static final Counter TRACES_SAMPLED = Counter.builder("otelcol_processor_tail_sampling_count_traces_sampled")
      .setUnit(Unit.COUNT)
      .setDescription("Traces decided, by the policy that decided and whether it kept them.")
      .setDimensions("policy", "sampled")
      .build();
  static final Counter SPANS_SAMPLED = Counter.builder("otelcol_processor_tail_sampling_count_spans_sampled")
      .setUnit(Unit.COUNT)
      .setDescription("Spans of the traces decided, by the policy that decided and whether it kept them.")
      .setDimensions("policy", "sampled")
      .build();
  static final Distribution LATE_SPAN_AGE = Distribution.builder("otelcol_processor_tail_sampling_sampling_late_span_age")
      .setUnit(Unit.SECONDS)
      .setDescription("How long after its trace was kept a late span arrived, in the stream's time.")
      .build();
  static final Gauge TRACES_ON_MEMORY = Gauge.builder("otelcol_processor_tail_sampling_sampling_traces_on_memory")
      .setUnit(Unit.COUNT)
      .setDescription("Traces waiting for their decision in the shard's state after the invocation.")
      .build();
  static final Distribution DECISION_LATENCY = Distribution.builder("otelcol_processor_tail_sampling_sampling_decision_latency")
      .setUnit(Unit.MICROSECONDS)
      .setDescription("Time the policies took to decide a trace.")
      .build();
  static final Counter TRACES_PARKED = Counter.builder("otelpipeline_tail_sampling_traces_parked")
      .setUnit(Unit.COUNT)
      .setDescription("Traces carried to the next invocation, summed over invocations.")
      .build();
  static final Counter TRACES_DECIDED = Counter.builder("otelpipeline_tail_sampling_traces_decided")
      .setUnit(Unit.COUNT)
      .setDescription("Traces decided, kept or dropped.")
      .build();
  static final Counter SPANS_DUPLICATE = Counter.builder("otelpipeline_tail_sampling_spans_duplicate")
      .setUnit(Unit.COUNT)
      .setDescription("Spans seen before (same trace id and span id), dropped so that each is exported once.")
      .build();
  static final Counter RECORDS_UNDECODABLE = Counter.builder("otelpipeline_tail_sampling_records_undecodable")
      .setUnit(Unit.COUNT)
      .setDescription("Records that did not decode: set aside in the failure destination whole, or only their undecodable spans while the rest flow on.")
      .build();
  static final Counter SPANS_OF_OTHER_SHARDS = Counter.builder("otelpipeline_tail_sampling_spans_of_other_shards")
      .setUnit(Unit.COUNT)
      .setDescription("Spans that landed on a shard that does not own their trace (a shard map older than a reshard);"
          + " ingest wrote them again to the shard that does.")
      .build();

  private TailSamplingInstruments() {}
}
