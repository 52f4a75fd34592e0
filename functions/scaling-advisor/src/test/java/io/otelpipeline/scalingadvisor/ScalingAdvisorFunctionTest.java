package io.otelpipeline.scalingadvisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.scaling.ConsumerConcurrency;
import io.otelpipeline.core.scaling.MetricHistory;
import io.otelpipeline.core.scaling.MetricSeries;
import io.otelpipeline.core.scaling.ScalingRun;
import io.otelpipeline.core.scaling.ScalingSettings;
import io.otelpipeline.core.scaling.StreamCapacity;
import io.otelpipeline.core.telemetry.Measurement;
import io.otelpipeline.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduled handler on the EventBridge fixture used by sam local invoke. */
class ScalingAdvisorFunctionTest {
  private static final String TRACES = "arn:aws:kinesis:us-east-1:123456789012:stream/stack-TracesStream-1";

  @Test
  void answersTheScheduleWithTheRecommendationsAndAppliesThemWhenAllowed() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> event = new ObjectMapper().readValue(Path.of("../../events/scaling-advisor-schedule.json").toFile(), Map.class);
    Map<String, Integer> shards = new HashMap<>(Map.of(TRACES, 2));
    StreamCapacity capacity = new StreamCapacity() {
      @Override
      public int openShards(String arn) {
        return shards.get(arn);
      }

      @Override
      public boolean onDemand(String arn) {
        return false;
      }

      @Override
      public void resize(String arn, int n) {
        shards.put(arn, n);
      }
    };
    ConsumerConcurrency concurrency = new ConsumerConcurrency() {
      @Override
      public int parallelizationFactor(String function, String arn) {
        return 1;
      }

      @Override
      public void setParallelizationFactor(String function, String arn, int factor) {
        throw new AssertionError("nothing asks for more parallelism here");
      }
    };
    MetricHistory history = (queries, start, end, period) -> Map.of(
        "s0throttled", MetricSeries.of(10, 20, 30),
        "s0records", MetricSeries.of(5e5, 5e5, 5e5),
        "s0bytes", MetricSeries.of(1e8, 1e8, 1e8));
    List<String> log = new ArrayList<>();
    int[] flushes = {0};
    Telemetry telemetry = new Telemetry() {
      @Override
      public void record(Measurement measurement) {}

      @Override
      public void flush() {
        flushes[0]++;
      }
    };
    ScalingSettings settings = ScalingSettings.from(new FunctionEnvironment(
        Map.of("STREAM_ARNS", TRACES, "MAX_SHARDS", "8", "ALLOW_AUTO_SCALING", "true", "TELEMETRY_NAMESPACE", "stack")));
    ScalingAdvisorFunction function = new ScalingAdvisorFunction(
        new ScalingRun(settings, history, capacity, concurrency, telemetry, log::add), telemetry,
        Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC));

    Map<String, Object> answer = function.handleRequest(event, null);

    assertEquals(1L, answer.get("applied"));
    assertEquals(4, shards.get(TRACES));
    assertEquals(1, log.size());
    assertEquals(1, flushes[0]);
    @SuppressWarnings("unchecked")
    Map<String, Object> first = ((List<Map<String, Object>>) answer.get("recommendations")).get(0);
    assertEquals("ADD_SHARDS", first.get("action"));
  }
}
