package io.otelpipeline.local;

import java.util.Optional;

/** A function's Schedule event: the EventBridge expression and the constant input, if any. */
public record ScheduleSource(String eventName, ScheduleExpression expression, Optional<String> input) {}
