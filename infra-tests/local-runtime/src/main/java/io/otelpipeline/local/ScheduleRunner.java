package io.otelpipeline.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Fires a function's Schedule events as EventBridge would, with the same event (or the constant Input). */
final class ScheduleRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalFunction function;
  private final ScheduleSource schedule;
  private final String region;
  private final String stackName;
  private final AtomicLong invocations;
  private final Clock clock;

  ScheduleRunner(LocalFunction function, ScheduleSource schedule, String region, String stackName, AtomicLong invocations, Clock clock) {
    this.function = function;
    this.schedule = schedule;
    this.region = region;
    this.stackName = stackName;
    this.invocations = invocations;
    this.clock = clock;
    function.requireEventType(Map.class, "its Schedule event " + schedule.eventName());
    schedule.input().ifPresent(input -> event());
  }

  String function() {
    return function.spec().logicalId();
  }

  ScheduleSource schedule() {
    return schedule;
  }

  /** Fires on every occurrence of the expression from now on. */
  void start(ScheduledExecutorService executor) {
    Instant next = schedule.expression().next(clock.instant());
    long delay = Math.max(0, next.toEpochMilli() - clock.millis());
    executor.schedule(() -> {
      try {
        fire();
      } catch (RuntimeException e) {
        System.err.println("[" + function() + "] scheduled invocation (" + schedule.expression() + ") failed: " + e.getMessage());
      }
      if (!executor.isShutdown()) {
        start(executor);
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Invokes the function now with the event of this schedule; returns its result. */
  Object fire() {
    invocations.incrementAndGet();
    return function.invoke(event());
  }

  private Map<String, Object> event() {
    if (schedule.input().isPresent()) {
      try {
        return JSON.readValue(schedule.input().get(), JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
      } catch (JsonProcessingException e) {
        throw new TemplateException("Resources." + function() + ".Properties.Events." + schedule.eventName() + ".Properties.Input: not a JSON object: "
            + e.getOriginalMessage());
      }
    }
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.events");
    event.put("account", LocalNames.ACCOUNT);
    event.put("time", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event.put("resources", List.of("arn:aws:events:" + region + ":" + LocalNames.ACCOUNT + ":rule/" + stackName + "-" + function() + schedule.eventName()));
    event.put("detail", Map.of());
    return event;
  }
}
