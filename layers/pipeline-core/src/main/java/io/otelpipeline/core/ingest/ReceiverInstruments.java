package io.otelpipeline.core.ingest;

import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Unit;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The receivers' telemetry, with the Collector's names, one counter per signal's items
 * ({@code _spans}, {@code _metric_points}, {@code _log_records}): ingest's OTLP receiver counts by
 * {@code transport} and {@code signal}, the scraper's Prometheus receiver by {@code receiver}.
 */
public final class ReceiverInstruments {
  private static final Map<Signal, Counter> ACCEPTED = perSignal(s -> Counter.builder("otelcol_receiver_accepted_" + s.itemName())
      .setUnit(Unit.COUNT)
      .setDescription("Items a receiver took in and handed on: acknowledged to the sender, or scraped and converted.")
      .setDimensions("transport", "signal")
      .orDimensions("receiver")
      .build());
  private static final Map<Signal, Counter> REFUSED = perSignal(s -> Counter.builder("otelcol_receiver_refused_" + s.itemName())
      .setUnit(Unit.COUNT)
      .setDescription("Items a receiver refused: rejected in a partial success, or the whole request when the stream did not take it"
          + " and the sender is told to retry.")
      .setDimensions("transport", "signal")
      .build());

  /** Records ingest wrote again because a reshard moved some of their traces to another shard. */
  public static final Counter RECORDS_MISPLACED = Counter.builder("otelpipeline_ingest_records_misplaced")
      .setUnit(Unit.COUNT)
      .setDescription("Stream records that landed on a shard no longer owning all their traces (the shard map predates a reshard);"
          + " their traces are written again where they belong.")
      .setDimensions("exporter", "signal")
      .build();

  private ReceiverInstruments() {}

  public static Counter accepted(Signal signal) {
    return ACCEPTED.get(signal);
  }

  public static Counter refused(Signal signal) {
    return REFUSED.get(signal);
  }

  private static Map<Signal, Counter> perSignal(Function<Signal, Counter> declare) {
    Map<Signal, Counter> bySignal = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      bySignal.put(s, declare.apply(s));
    }
    return bySignal;
  }
}
