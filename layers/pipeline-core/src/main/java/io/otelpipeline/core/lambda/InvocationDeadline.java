package io.otelpipeline.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** When a stream consumer's work must stop so that it can still answer: the invocation's end, less a margin. */
public final class InvocationDeadline {
  /** Kept free at the end of an invocation to answer and flush telemetry after the exports give up. */
  public static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);
  /** The budget when the invocation has no context (the local stack may call without one). */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(60);

  private InvocationDeadline() {}

  public static Instant of(Context context, Clock clock) {
    Duration budget = context == null ? DEFAULT_BUDGET : Duration.ofMillis(context.getRemainingTimeInMillis());
    return clock.instant().plus(budget).minus(ANSWER_MARGIN);
  }
}
