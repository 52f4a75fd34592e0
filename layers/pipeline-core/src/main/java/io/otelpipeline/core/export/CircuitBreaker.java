package io.otelpipeline.core.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops calling a backend that keeps failing. After {@code failureThreshold} consecutive failed
 * exports it opens and refuses calls for the cool-down; then it lets a single probe through
 * (half-open): success closes it, failure opens it for another cool-down.
 *
 * <p>A Lambda container serves many invocations, so one breaker per container remembers an outage
 * across invocations and the batches fail fast (their data stays in the stream) instead of each
 * invocation waiting out its own retries.
 */
public final class CircuitBreaker {
  public enum State {
    CLOSED(0),
    HALF_OPEN(0.5),
    OPEN(1);

    private final double gaugeValue;

    State(double gaugeValue) {
      this.gaugeValue = gaugeValue;
    }

    /** The value of the {@code otelcol_exporter_circuit_state} gauge: 0 closed, 0.5 half-open, 1 open. */
    public double gaugeValue() {
      return gaugeValue;
    }
  }

  /** Whether a call may go ahead, and if it is the half-open probe. */
  public record Permit(boolean allowed, boolean probe) {}

  private final int failureThreshold;
  private final Duration coolDown;
  private final Clock clock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private Instant openedAt = Instant.MIN;
  private boolean probeInFlight;

  public CircuitBreaker(int failureThreshold, Duration coolDown, Clock clock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failure threshold must be at least 1, not " + failureThreshold);
    }
    this.failureThreshold = failureThreshold;
    this.coolDown = coolDown;
    this.clock = clock;
  }

  /** Asks to make a call: always when closed, never while open, once (the probe) after the cool-down. */
  public synchronized Permit acquire() {
    if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(coolDown))) {
      state = State.HALF_OPEN;
      probeInFlight = false;
    }
    return switch (state) {
      case CLOSED -> new Permit(true, false);
      case OPEN -> new Permit(false, false);
      case HALF_OPEN -> {
        if (probeInFlight) {
          yield new Permit(false, false);
        }
        probeInFlight = true;
        yield new Permit(true, true);
      }
    };
  }

  /** The backend answered (even with a permanent refusal): it is up. */
  public synchronized void recordSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    probeInFlight = false;
  }

  /** The backend could not be reached or asked to be left alone. */
  public synchronized void recordFailure() {
    consecutiveFailures++;
    probeInFlight = false;
    if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openedAt = clock.instant();
    }
  }

  public synchronized State state() {
    return state;
  }

  /** How long an open breaker still refuses calls. */
  public synchronized Duration remainingCoolDown() {
    if (state != State.OPEN) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), openedAt.plus(coolDown));
    return left.isNegative() ? Duration.ZERO : left;
  }
}
