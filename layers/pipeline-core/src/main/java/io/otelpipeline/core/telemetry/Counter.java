package io.otelpipeline.core.telemetry;

/** A sum: what the values recorded over an invocation add up to, such as spans accepted. */
public final class Counter extends Instrument {
  private Counter(Builder<Counter> builder) {
    super(builder);
  }

  public static Builder<Counter> builder(String name) {
    return new Builder<>(name, Counter::new);
  }
}
