package io.otelpipeline.core.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/** A pass of the advisor over fixed metric histories: what it logs, and what it changes only when allowed. */
class ScalingRunTest {
  private static final String TRACES = "arn:aws:kinesis:us-east-1:123456789012:stream/stack-TracesStream-1";
  private static final String METRICS = "arn:aws:kinesis:us-east-1:123456789012:stream/stack-MetricsStream-1";
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private static Map<String, String> env(boolean allow) {
    return env(allow, "");
  }

  private static Map<String, String> env(boolean allow, String samplerFlags) {
    return Map.of(
        "TELEMETRY_NAMESPACE", "stack",
        "STREAM_ARNS", TRACES + "," + METRICS,
        "CONSUMERS", "trace-sampler|stack-TraceSampler|" + TRACES + "|spans" + samplerFlags + ",forwarder|stack-Forwarder|" + METRICS + "|metric_points",
        "MIN_SHARDS", "1",
        "MAX_SHARDS", "4",
        "ALLOW_AUTO_SCALING", Boolean.toString(allow));
  }

  /** Traces throttled on one shard, the sampler falling behind with healthy exports; metrics quiet, forwarder's backend failing. */
  private static final Map<String, MetricSeries> HISTORY = Map.ofEntries(
      Map.entry("s0throttled", MetricSeries.of(0, 50, 80)),
      Map.entry("s0records", MetricSeries.of(200_000, 290_000, 300_000)),
      Map.entry("s0bytes", MetricSeries.of(1e8, 1e8, 1e8)),
      Map.entry("s1throttled", MetricSeries.of(0, 0, 0)),
      Map.entry("s1records", MetricSeries.of(90_000, 90_000, 90_000)),
      Map.entry("s1bytes", MetricSeries.of(1e7, 1e7, 1e7)),
      Map.entry("c0age", MetricSeries.of(30_000, 70_000, 120_000)),
      Map.entry("c0sent", MetricSeries.of(1e5, 1e5, 1e5)),
      Map.entry("c0failed", MetricSeries.of(0, 0, 0)),
      Map.entry("c0breaker", MetricSeries.of(0, 0, 0)),
      Map.entry("c1age", MetricSeries.of(30_000, 70_000, 120_000)),
      Map.entry("c1sent", MetricSeries.of(1e5, 0, 0)),
      Map.entry("c1failed", MetricSeries.of(0, 5e4, 5e4)),
      Map.entry("c1breaker", MetricSeries.of(0, 1, 1)));

  private final Map<String, Integer> shards = new HashMap<>(Map.of(TRACES, 1, METRICS, 1));
  private final java.util.Set<String> onDemand = new java.util.HashSet<>();
  private final Map<String, Integer> factors = new HashMap<>(Map.of("stack-TraceSampler", 2, "stack-Forwarder", 2));
  private final List<String> log = new ArrayList<>();

  private ScalingRun run(boolean allow) {
    return run(env(allow));
  }

  private ScalingRun run(Map<String, String> env) {
    StreamCapacity capacity = new StreamCapacity() {
      @Override
      public int openShards(String arn) {
        return shards.get(arn);
      }

      @Override
      public boolean onDemand(String arn) {
        return onDemand.contains(arn);
      }

      @Override
      public void resize(String arn, int n) {
        shards.put(arn, n);
      }
    };
    ConsumerConcurrency concurrency = new ConsumerConcurrency() {
      @Override
      public int parallelizationFactor(String function, String arn) {
        return factors.get(function);
      }

      @Override
      public void setParallelizationFactor(String function, String arn, int factor) {
        factors.put(function, factor);
      }
    };
    MetricHistory history = (queries, start, end, period) -> {
      assertEquals(Duration.ofMinutes(15), Duration.between(start, end));
      return HISTORY;
    };
    return new ScalingRun(ScalingSettings.from(new FunctionEnvironment(env)), history, capacity, concurrency, Telemetry.noop(), log::add);
  }

  @Test
  void recommendsWithoutChangingAnythingUnlessAllowed() {
    List<Map<String, Object>> out = run(false).run(NOW);
    assertEquals(List.of("ADD_SHARDS", "NONE", "RAISE_PARALLELIZATION", "DO_NOT_SCALE"), out.stream().map(e -> e.get("action")).toList());
    assertEquals(Map.of(TRACES, 1, METRICS, 1), shards);
    assertEquals(Map.of("stack-TraceSampler", 2, "stack-Forwarder", 2), factors);
    assertEquals(4, log.size());
    assertTrue(log.get(0).startsWith("{\"at\":\"2026-11-21T12:00:00Z\",\"subject\":\"stream\",\"name\":\"stack-TracesStream-1\",\"action\":\"ADD_SHARDS\",\"current\":1,\"proposed\":2,"), log.get(0));
    assertTrue(log.get(3).contains("the backend is the bottleneck"), log.get(3));
  }

  @Test
  void appliesShardsAndParallelizationWhenAllowedButNeverForAFailingBackend() {
    List<Map<String, Object>> out = run(true).run(NOW);
    assertEquals(List.of(true, false, true, false), out.stream().map(e -> e.get("applied")).toList());
    assertEquals(Map.of(TRACES, 2, METRICS, 1), shards);
    assertEquals(Map.of("stack-TraceSampler", 4, "stack-Forwarder", 2), factors);
  }

  @Test
  void aSequentialConsumerIsScaledByShardsAndKeepsParallelizationFactorOne() {
    factors.put("stack-TraceSampler", 1);
    List<Map<String, Object>> out = run(env(true, "|sequential")).run(NOW);
    assertEquals(List.of("ADD_SHARDS", "NONE", "AT_LIMIT", "DO_NOT_SCALE"), out.stream().map(e -> e.get("action")).toList());
    assertEquals(Map.of(TRACES, 2, METRICS, 1), shards);
    assertEquals(Map.of("stack-TraceSampler", 1, "stack-Forwarder", 2), factors);
    assertTrue(((String) out.get(2).get("reason")).contains("add shards to stack-TracesStream-1"), out.get(2).toString());
  }

  @Test
  void neverResizesAnOnDemandStreamAndSaysWhy() {
    onDemand.add(TRACES);
    List<Map<String, Object>> out = run(true).run(NOW);
    assertEquals("ADD_SHARDS", out.get(0).get("action"));
    assertEquals(false, out.get(0).get("applied"));
    assertEquals("ON_DEMAND stream: Kinesis sizes it and refuses UpdateShardCount", out.get(0).get("skipped"));
    assertEquals(Map.of(TRACES, 1, METRICS, 1), shards);
    assertEquals(Map.of("stack-TraceSampler", 4, "stack-Forwarder", 2), factors);
  }

  @Test
  void queriesNameEveryMetricTheRulesRead() {
    ScalingSettings settings = ScalingSettings.from(new FunctionEnvironment(env(false)));
    List<MetricQuery> queries = new ScalingSignalsReader(settings, null, null, null).queries();
    assertEquals(14, queries.size());
    assertEquals(HISTORY.keySet(), queries.stream().map(MetricQuery::id).collect(java.util.stream.Collectors.toSet()));
    MetricQuery failed = queries.stream().filter(q -> q.id().equals("c1failed")).findFirst().orElseThrow();
    assertEquals("SUM(SEARCH('Namespace=\"stack\" MetricName=\"otelcol_exporter_send_failed_metric_points\" function=\"forwarder\"', 'Sum', 300))",
        failed.expression());
    GetMetricDataRequest request = CloudWatchMetricHistory.request(queries, NOW.minusSeconds(900), NOW, Duration.ofMinutes(5));
    MetricDataQuery throttled = request.metricDataQueries().get(0);
    assertEquals("WriteProvisionedThroughputExceeded", throttled.metricStat().metric().metricName());
    assertEquals("stack-TracesStream-1", throttled.metricStat().metric().dimensions().get(0).value());
    assertEquals(300, throttled.metricStat().period());
  }

  @Test
  void badSettingsNameTheVariable() {
    Map<String, String> e = new HashMap<>(env(false));
    e.put("CONSUMERS", "trace-sampler|fn|" + TRACES + "|traces");
    assertEquals("CONSUMERS entry 'trace-sampler|fn|" + TRACES + "|traces': the exported item is spans, metric_points or log_records, not 'traces'",
        assertThrows(ConfigException.class, () -> ScalingSettings.from(new FunctionEnvironment(e))).getMessage());
    e.put("CONSUMERS", "trace-sampler|fn|" + TRACES + "|spans|parallel");
    assertEquals("CONSUMERS entry 'trace-sampler|fn|" + TRACES + "|spans|parallel' must be telemetry-name|function-name|stream-arn|exported-item[|sequential]",
        assertThrows(ConfigException.class, () -> ScalingSettings.from(new FunctionEnvironment(e))).getMessage());
    e.put("CONSUMERS", "trace-sampler|fn|arn:aws:kinesis:us-east-1:1:stream/other|spans");
    assertTrue(assertThrows(ConfigException.class, () -> ScalingSettings.from(new FunctionEnvironment(e))).getMessage().contains("not in STREAM_ARNS"));
    e.put("STREAM_ARNS", "traces");
    assertEquals("'traces' is not a Kinesis stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)",
        assertThrows(ConfigException.class, () -> ScalingSettings.from(new FunctionEnvironment(e))).getMessage());
  }
}
