package io.otelpipeline.core.export;

import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Gauge;
import io.otelpipeline.core.telemetry.Unit;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The exporters' telemetry, with the Collector's names, one counter per signal's items
 * ({@code _spans}, {@code _metric_points}, {@code _log_records}). An exporter counts by its id
 * ({@code exporter}: {@code otlp_http/primary}, {@code debug}...); ingest, whose exporter is the
 * stream ({@code kinesis}), adds the {@code signal}; span metrics also counts the points of each of
 * its exports without dimensions.
 */
public final class ExporterInstruments {
  private static final Map<Signal, Counter> SENT = perSignal(s -> Counter.builder("otelcol_exporter_sent_" + s.itemName())
      .setUnit(Unit.COUNT)
      .setDescription("Items the exporter sent: the backend took them, or ingest wrote them to the stream.")
      .setDimensions("exporter")
      .orDimensions("exporter", "signal")
      .orDimensions()
      .build());
  private static final Map<Signal, Counter> SEND_FAILED = perSignal(s -> Counter.builder("otelcol_exporter_send_failed_" + s.itemName())
      .setUnit(Unit.COUNT)
      .setDescription("Items the exporter could not send: refused for good, rejected in a partial success, or still failing when retries"
          + " or the deadline ran out.")
      .setDimensions("exporter")
      .orDimensions("exporter", "signal")
      .orDimensions()
      .build());
  private static final Map<Signal, Counter> NOT_EXPORTED = perSignal(s -> Counter.builder("otelpipeline_exporter_not_exported_" + s.itemName())
      .setUnit(Unit.COUNT)
      .setDescription("Items of a signal that no pipeline routes to an exporter, dropped as the start-up report says.")
      .build());

  /** The state of an exporter's circuit breaker: 0 closed, 0.5 half-open, 1 open. */
  public static final Gauge CIRCUIT_STATE = Gauge.builder("otelcol_exporter_circuit_state")
      .setUnit(Unit.NONE)
      .setDescription("The exporter's circuit breaker: 0 closed, 0.5 half-open, 1 open (exports fail fast while the backend is down).")
      .setDimensions("exporter")
      .build();

  private ExporterInstruments() {}

  public static Counter sent(Signal signal) {
    return SENT.get(signal);
  }

  public static Counter sendFailed(Signal signal) {
    return SEND_FAILED.get(signal);
  }

  public static Counter notExported(Signal signal) {
    return NOT_EXPORTED.get(signal);
  }

  private static Map<Signal, Counter> perSignal(Function<Signal, Counter> declare) {
    Map<Signal, Counter> bySignal = new EnumMap<>(Signal.class);
    for (Signal s : Signal.values()) {
      bySignal.put(s, declare.apply(s));
    }
    return bySignal;
  }
}
