package io.otelpipeline.core.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.scaling.Recommendation.Action;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The scaling rules over metric histories, including every case where the answer is not to scale. */
class ScalingAdvisorTest {
  private static final ScalingAdvisor ADVISOR = ScalingAdvisor.create(new ScalingLimits(1, 8));
  private static final Duration MINUTE = Duration.ofMinutes(1);
  /** One shard takes 60,000 records a minute. */
  private static final double SHARD_MINUTE = 60_000;

  private static StreamSignals stream(int shards, MetricSeries throttled, double... utilization) {
    double[] records = new double[utilization.length];
    for (int i = 0; i < records.length; i++) {
      records[i] = utilization[i] * shards * SHARD_MINUTE;
    }
    return new StreamSignals("traces", shards, MINUTE, throttled, MetricSeries.of(records), MetricSeries.of(new double[records.length]));
  }

  private static ConsumerSignals consumer(int pf, MetricSeries ageSeconds, MetricSeries sent, MetricSeries failed, MetricSeries breaker) {
    double[] millis = ageSeconds.values().stream().mapToDouble(v -> v * 1000).toArray();
    return new ConsumerSignals("trace-sampler", "traces", false, pf, MetricSeries.of(millis), sent, failed, breaker);
  }

  private static ConsumerSignals healthy(int pf, double... ageSeconds) {
    return consumer(pf, MetricSeries.of(ageSeconds), MetricSeries.of(1000, 1000, 1000), MetricSeries.of(0, 0, 0), MetricSeries.of(0, 0, 0));
  }

  /** A stateful consumer of the traces stream, which must read each shard in order. */
  private static ConsumerSignals sequential(double... ageSeconds) {
    double[] millis = MetricSeries.of(ageSeconds).values().stream().mapToDouble(v -> v * 1000).toArray();
    return new ConsumerSignals("trace-sampler", "traces", true, 1, MetricSeries.of(millis), MetricSeries.of(1000, 1000, 1000),
        MetricSeries.of(0, 0, 0), MetricSeries.of(0, 0, 0));
  }

  private static final ConsumerSignals BACKEND_FAILING =
      consumer(2, MetricSeries.of(30, 90, 150), MetricSeries.of(1000, 800, 700), MetricSeries.of(0, 200, 300), MetricSeries.of(0, 0, 0));
  private static final MetricSeries NO_THROTTLES = MetricSeries.of(0, 0, 0);

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("half the limits, no throttles", stream(1, NO_THROTTLES, 0.5, 0.5, 0.5), List.of(), Action.NONE, 1),
        Arguments.of("throttled in two of three periods", stream(1, MetricSeries.of(0, 40, 120), 0.6, 0.9, 0.9), List.of(), Action.ADD_SHARDS, 2),
        Arguments.of("a single throttled period is a blip", stream(1, MetricSeries.of(0, 0, 15), 0.6, 0.6, 0.6), List.of(), Action.NONE, 1),
        Arguments.of("95% of four shards, sized for half", stream(4, NO_THROTTLES, 0.7, 0.9, 0.95), List.of(), Action.ADD_SHARDS, 8),
        Arguments.of("at most doubles in one step", stream(2, MetricSeries.of(5, 5, 5), 1.0, 1.0, 1.9), List.of(), Action.ADD_SHARDS, 4),
        Arguments.of("throttled at MaxShards", stream(8, MetricSeries.of(9, 9, 9), 1.0, 1.0, 1.0), List.of(), Action.AT_LIMIT, 8),
        Arguments.of("throttled while the backend fails: do not scale", stream(1, MetricSeries.of(10, 40, 120), 0.9, 0.9, 0.9),
            List.of(BACKEND_FAILING), Action.DO_NOT_SCALE, 1),
        Arguments.of("a consumer behind at ParallelizationFactor 10", stream(2, NO_THROTTLES, 0.5, 0.5, 0.5),
            List.of(healthy(10, 30, 90, 150)), Action.ADD_SHARDS, 3),
        Arguments.of("a sequential consumer behind: shards, never parallelism", stream(2, NO_THROTTLES, 0.5, 0.5, 0.5),
            List.of(sequential(30, 90, 150)), Action.ADD_SHARDS, 3),
        Arguments.of("idle four shards halve", stream(4, NO_THROTTLES, 0.05, 0.05, 0.05), List.of(healthy(2, 0, 0, 0)), Action.REMOVE_SHARDS, 2),
        Arguments.of("idle but a consumer is behind: keep", stream(4, NO_THROTTLES, 0.05, 0.05, 0.05), List.of(healthy(2, 120, 100, 80)), Action.NONE, 4),
        Arguments.of("idle at MinShards", stream(1, NO_THROTTLES, 0.01, 0.01, 0.01), List.of(), Action.NONE, 1),
        Arguments.of("no metrics", new StreamSignals("traces", 2, MINUTE, MetricSeries.empty(), MetricSeries.empty(), MetricSeries.empty()),
            List.of(), Action.NO_DATA, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void stream(String name, StreamSignals signals, List<ConsumerSignals> consumers, Action action, int proposed) {
    Recommendation r = ADVISOR.advise(new ScalingSnapshot(List.of(signals), consumers, Optional.empty())).get(0);
    assertEquals(action, r.action(), r.reason());
    assertEquals(proposed, r.proposed(), r.reason());
    assertEquals(signals.shards(), r.current());
  }

  static Stream<Arguments> consumers() {
    return Stream.of(
        Arguments.of("age rising while exports succeed", healthy(2, 30, 90, 150), Action.RAISE_PARALLELIZATION, 4),
        Arguments.of("parallelization capped at ten", healthy(6, 30, 90, 150), Action.RAISE_PARALLELIZATION, 10),
        Arguments.of("already at ten: shards, not parallelism", healthy(10, 30, 90, 150), Action.AT_LIMIT, 10),
        Arguments.of("sequential: stays at one", sequential(30, 90, 150), Action.AT_LIMIT, 1),
        Arguments.of("age rising because exports fail: do not scale", BACKEND_FAILING, Action.DO_NOT_SCALE, 2),
        Arguments.of("breaker open with nothing attempted: do not scale",
            consumer(2, MetricSeries.of(30, 90, 150), MetricSeries.of(100, 0, 0), MetricSeries.of(50, 0, 0), MetricSeries.of(0, 1, 1)), Action.DO_NOT_SCALE, 2),
        Arguments.of("failures that stopped are history",
            consumer(2, MetricSeries.of(5, 3, 1), MetricSeries.of(0, 900, 1000), MetricSeries.of(500, 20, 0), MetricSeries.of(1, 0, 0)), Action.NONE, 2),
        Arguments.of("behind but catching up", healthy(2, 300, 200, 100), Action.NONE, 2),
        Arguments.of("high but flat age is not rising", healthy(2, 90, 90, 90), Action.NONE, 2),
        Arguments.of("rising but young records are fine", healthy(2, 1, 2, 3), Action.NONE, 2),
        Arguments.of("no metrics",
            new ConsumerSignals("f", "traces", false, 1, MetricSeries.empty(), MetricSeries.empty(), MetricSeries.empty(), MetricSeries.empty()), Action.NO_DATA, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consumers")
  void consumer(String name, ConsumerSignals signals, Action action, int proposed) {
    Recommendation r = ADVISOR.advise(new ScalingSnapshot(List.of(), List.of(signals), Optional.empty())).get(0);
    assertEquals(action, r.action(), r.reason());
    assertEquals(proposed, r.proposed(), r.reason());
  }

  static Stream<Arguments> scrapers() {
    return Stream.of(
        Arguments.of("half the interval", new ScraperSignals(MetricSeries.of(0.4, 0.5), 2, 4), Action.NONE),
        Arguments.of("near the interval, room to shard", new ScraperSignals(MetricSeries.of(0.7, 0.9), 2, 4), Action.ALLOCATOR_ADDS_SCRAPERS),
        Arguments.of("near the interval, every shard in use", new ScraperSignals(MetricSeries.of(0.9, 0.95), 4, 4), Action.AT_LIMIT),
        Arguments.of("no scrape metrics", new ScraperSignals(MetricSeries.empty(), 1, 4), Action.NO_DATA));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scrapers")
  void scrapers(String name, ScraperSignals signals, Action action) {
    Recommendation r = ADVISOR.advise(new ScalingSnapshot(List.of(), List.of(), Optional.of(signals))).get(0);
    assertEquals(action, r.action(), r.reason());
    assertEquals(Recommendation.Subject.SCRAPERS, r.subject());
  }

  @Test
  void reasonsSayWhyInNumbers() {
    List<Recommendation> all = ADVISOR.advise(new ScalingSnapshot(
        List.of(stream(1, MetricSeries.of(10, 40, 120), 0.9, 0.9, 0.9)), List.of(BACKEND_FAILING), Optional.empty()));
    assertEquals(2, all.size());
    assertTrue(all.get(0).reason().startsWith("writes throttled in 3 of the last 3 periods (170 refused)"), all.get(0).reason());
    assertTrue(all.get(0).reason().contains("trace-sampler's exports failing (17% of attempts)"), all.get(0).reason());
    assertEquals("trace-sampler on traces", all.get(1).name());
    assertTrue(all.get(1).reason().contains("do not") || all.get(1).reason().contains("Fix or scale the backend"), all.get(1).reason());
  }

  @Test
  void boundsMustBeOrdered() {
    assertThrows(IllegalArgumentException.class, () -> new ScalingLimits(4, 2));
  }
}
