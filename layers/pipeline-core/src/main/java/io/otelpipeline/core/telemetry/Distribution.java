package io.otelpipeline.core.telemetry;

/**
 * Observations of a quantity that varies from one event to the next, such as a latency or an age.
 * The sinks keep the latest observation of an invocation, as for a {@link Gauge}.
 */
public final class Distribution extends Instrument {
  private Distribution(Builder<Distribution> builder) {
    super(builder);
  }

  public static Builder<Distribution> builder(String name) {
    return new Builder<>(name, Distribution::new);
  }
}
