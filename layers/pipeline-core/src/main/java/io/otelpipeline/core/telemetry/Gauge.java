package io.otelpipeline.core.telemetry;

/** A level: the latest value recorded wins, such as the traces waiting in a shard's state. */
public final class Gauge extends Instrument {
  private Gauge(Builder<Gauge> builder) {
    super(builder);
  }

  public static Builder<Gauge> builder(String name) {
    return new Builder<>(name, Gauge::new);
  }
}
