package io.otelpipeline.local;

import java.time.LocalDate;
import java.util.Map;

/**
 * Lambda's Java runtimes and the day each stopped (or stops) taking new functions, from Lambda's
 * runtime deprecation schedule: a template on a runtime past that day fails to deploy, so the
 * local stack refuses it too rather than running what AWS would not create.
 */
final class LambdaRuntimes {
  private static final Map<String, LocalDate> CREATION_BLOCKED = Map.of(
      "java8", LocalDate.parse("2024-02-08"),
      "java8.al2", LocalDate.parse("2026-07-31"),
      "java11", LocalDate.parse("2026-07-31"),
      "java17", LocalDate.parse("2026-07-31"),
      "java21", LocalDate.parse("2029-07-31"),
      "java25", LocalDate.parse("2029-07-31"));

  private LambdaRuntimes() {}

  /** Refuses a runtime the local JVM cannot stand in for, or one Lambda no longer creates functions on. */
  static void check(String runtime, LocalDate today, String where) {
    if (!runtime.startsWith("java")) {
      throw new TemplateException(where + ": " + runtime + " cannot run in the local stack's JVM");
    }
    LocalDate blocked = CREATION_BLOCKED.get(runtime);
    if (blocked == null) {
      throw new TemplateException(where + ": " + runtime + " is not a Lambda Java runtime (" + String.join(", ", CREATION_BLOCKED.keySet().stream().sorted().toList()) + ")");
    }
    if (!today.isBefore(blocked)) {
      throw new TemplateException(where + ": " + runtime + " is retired: Lambda creates no functions on it since " + blocked
          + "; use java21 or java25");
    }
  }
}
