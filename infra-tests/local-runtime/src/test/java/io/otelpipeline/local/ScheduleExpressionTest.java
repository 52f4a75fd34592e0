package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleExpressionTest {
  @Test
  void nextFiringTimes() {
    record Case(String expression, String after, String next) {}
    List<Case> cases =
        List.of(
            new Case("rate(1 minute)", "2025-03-01T10:00:30Z", "2025-03-01T10:01:30Z"),
            new Case("rate(2 hours)", "2025-03-01T10:00:00Z", "2025-03-01T12:00:00Z"),
            new Case("cron(0/5 * * * ? *)", "2025-03-01T10:02:10Z", "2025-03-01T10:05:00Z"),
            new Case("cron(0/5 * * * ? *)", "2025-03-01T10:05:00Z", "2025-03-01T10:10:00Z"),
            new Case("cron(15 10 ? * MON-FRI *)", "2025-03-01T11:00:00Z", "2025-03-03T10:15:00Z"),
            new Case("cron(0 0 1 JAN ? *)", "2025-03-01T00:00:00Z", "2026-01-01T00:00:00Z"),
            new Case("cron(30 8 ? * 1 *)", "2025-03-01T00:00:00Z", "2025-03-02T08:30:00Z"),
            new Case("cron(0 9,17 * * ? *)", "2025-12-31T09:00:00Z", "2025-12-31T17:00:00Z"));
    for (Case c : cases) {
      assertEquals(Instant.parse(c.next()), ScheduleExpression.parse(c.expression(), "test").next(Instant.parse(c.after())), c.expression());
    }
  }
}
