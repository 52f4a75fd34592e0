package io.otelpipeline.core.telemetry;

import java.util.Map;
import java.util.Objects;

/** One recorded value of an instrument; its dimension keys are the instrument's, or it is not made. */
public record Measurement(Instrument instrument, double value, Map<String, String> dimensions) {
  public Measurement {
    Objects.requireNonNull(instrument, "instrument");
    dimensions = instrument.checked(dimensions);
  }
}
