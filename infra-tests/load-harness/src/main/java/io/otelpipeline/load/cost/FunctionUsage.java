package io.otelpipeline.load.cost;

import java.time.Duration;

/** What one function consumed in a run: its invocations and its billed GB-seconds. */
public record FunctionUsage(String function, Architecture architecture, long invocations, double gbSeconds) {
  public FunctionUsage {
    if (invocations < 0 || gbSeconds < 0) {
      throw new IllegalArgumentException(function + ": invocations and GB-seconds cannot be negative");
    }
  }

  /** From the configured memory and the summed billed duration (Lambda bills whole milliseconds). */
  public static FunctionUsage of(String function, Architecture architecture, long invocations, int memoryMb, Duration billed) {
    return new FunctionUsage(function, architecture, invocations, memoryMb / 1024.0 * billed.toMillis() / 1000.0);
  }
}
