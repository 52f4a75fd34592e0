package io.otelpipeline.core.sampling.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.config.ConfigBlock;
import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.sampling.config.PolicyConfig.AlwaysSample;
import io.otelpipeline.core.sampling.config.PolicyConfig.And;
import io.otelpipeline.core.sampling.config.PolicyConfig.BooleanAttribute;
import io.otelpipeline.core.sampling.config.PolicyConfig.BytesLimiting;
import io.otelpipeline.core.sampling.config.PolicyConfig.Composite;
import io.otelpipeline.core.sampling.config.PolicyConfig.Drop;
import io.otelpipeline.core.sampling.config.PolicyConfig.EmaThroughput;
import io.otelpipeline.core.sampling.config.PolicyConfig.Latency;
import io.otelpipeline.core.sampling.config.PolicyConfig.Not;
import io.otelpipeline.core.sampling.config.PolicyConfig.NumericAttribute;
import io.otelpipeline.core.sampling.config.PolicyConfig.OttlCondition;
import io.otelpipeline.core.sampling.config.PolicyConfig.Probabilistic;
import io.otelpipeline.core.sampling.config.PolicyConfig.RateAllocation;
import io.otelpipeline.core.sampling.config.PolicyConfig.RateLimiting;
import io.otelpipeline.core.sampling.config.PolicyConfig.SpanCount;
import io.otelpipeline.core.sampling.config.PolicyConfig.StatusCode;
import io.otelpipeline.core.sampling.config.PolicyConfig.StringAttribute;
import io.otelpipeline.core.sampling.config.PolicyConfig.TraceState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TailSamplingConfigTest {

  @Test
  void decodesEveryPolicyTypeOfARealConfigFile() throws IOException {
    String yaml;
    try (InputStream in = getClass().getResourceAsStream("/sampling/tail-sampling.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    PipelineConfig pipeline = PipelineConfig.parse("tail-sampling.yaml", yaml, new FunctionEnvironment(Map.of("SALT", "s3cret")));

    TailSamplingConfig expected =
        new TailSamplingConfig(
            Duration.ofSeconds(10),
            Optional.of(Duration.ofSeconds(2)),
            false,
            10_000,
            Duration.ofHours(1),
            new TailSamplingConfig.DecisionCache(100_000, TailSamplingConfig.DecisionCache.DEFAULT.nonSampledSize()),
            List.of(
                new StatusCode("errors", List.of("ERROR")),
                new Latency("slow", 5000, 10000),
                new AlwaysSample("everything"),
                new NumericAttribute("retries", "retry.count", OptionalLong.of(1), OptionalLong.empty(), false),
                new Probabilistic("one-in-ten", 10.0, "s3cret"),
                new StringAttribute("checkout", "http.route", List.of("/checkout.*"), true, 0, false),
                new TraceState("vip", "tier", List.of("gold", "platinum")),
                new RateLimiting("cap", 500),
                new BytesLimiting("bytes", 1024, 2048),
                new SpanCount("big", 2, 50),
                new BooleanAttribute("debug", "app.debug", true, false),
                new OttlCondition(
                    "ottl",
                    "ignore",
                    List.of(
                        "attributes[\"http.status_code\"] >= 500 and kind == SPAN_KIND_SERVER",
                        "end_time_unix_nano - start_time_unix_nano > 2000000000"),
                    List.of("name == \"exception\"")),
                new And(
                    "both",
                    List.of(
                        new StringAttribute("frontend", "service.name", List.of("frontend"), false, 0, false),
                        new Probabilistic("half", 50.0, Probabilistic.DEFAULT_HASH_SALT))),
                new Not("not-health", new StringAttribute("health", "http.route", List.of("/healthz"), false, 0, false)),
                new Drop("drop-health", List.of(new StringAttribute("healthz", "http.route", List.of("/healthz"), false, 0, false))),
                new Composite(
                    "budget",
                    1000,
                    List.of("c-errors", "c-rest"),
                    List.of(new StatusCode("c-errors", List.of("ERROR")), new AlwaysSample("c-rest")),
                    List.of(new RateAllocation("c-errors", 75), new RateAllocation("c-rest", 25))),
                new EmaThroughput("steady", 50.0, List.of("service.name", "http.route"), Duration.ofSeconds(30), 0.3, 0.5, 500)),
            false,
            List.of(
                "processors.tail_sampling.num_traces has no effect here: " + IN_SHARD_STATE,
                "processors.tail_sampling.expected_new_traces_per_sec has no effect here: " + IN_SHARD_STATE));

    assertEquals(expected, TailSamplingConfig.from(pipeline));
  }

  private static final String IN_SHARD_STATE =
      "the traces waiting for a decision are those of each shard's last decision_wait, carried in the shard's state, not a count held in memory";

  @Test
  void collectorDefaultsApplyWhenKeysAreLeftOut() {
    TailSamplingConfig c = TailSamplingConfig.decode(ConfigBlock.of("processors.tail_sampling", Map.of("policies", List.of(Map.of("name", "all", "type", "always_sample")))));
    assertEquals(Duration.ofSeconds(30), c.decisionWait());
    assertEquals(Optional.empty(), c.decisionWaitAfterRootReceived());
    assertEquals(List.of(new AlwaysSample("all")), c.policies());
    assertEquals(List.of(), c.notes());
  }

  @Test
  void withoutATailSamplingBlockEveryTraceIsKept() {
    TailSamplingConfig c = TailSamplingConfig.from(PipelineConfig.empty());
    assertEquals(List.of(new AlwaysSample("always_sample")), c.policies());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown type | {name: p, type: sometimes} | processors.tail_sampling.policies[p].type: unknown policy type 'sometimes'",
        "percentage above 100 | {name: p, type: probabilistic, probabilistic: {sampling_percentage: 150}} | policies[p].probabilistic.sampling_percentage: must be between 0 and 100, found 150.0",
        "missing percentage | {name: p, type: probabilistic, probabilistic: {}} | policies[p].probabilistic.sampling_percentage: is required",
        "bad status code | {name: p, type: status_code, status_code: {status_codes: [FAILED]}} | policies[p].status_code.status_codes: 'FAILED' is not a status code",
        "typo in a key | {name: p, type: latency, latency: {treshold_ms: 10}} | policies[p].latency: unknown key(s) [treshold_ms]",
        "upper below lower | {name: p, type: latency, latency: {threshold_ms: 10, upper_threshold_ms: 5}} | policies[p].latency.upper_threshold_ms: must be greater than threshold_ms (10), found 5",
        "bad regex | {name: p, type: string_attribute, string_attribute: {key: k, values: ['(x'], enabled_regex_matching: true}} | policies[p].string_attribute.values: '(x' is not a valid regular expression",
        "no rate | {name: p, type: rate_limiting, rate_limiting: {}} | policies[p].rate_limiting.spans_per_second: must be greater than zero, found 0",
        "ottl unsupported function | {name: p, type: ottl_condition, ottl_condition: {span: ['Len(name) > 3']}} | policies[p].ottl_condition.span: cannot evaluate OTTL condition \"Len(name) > 3\": function Len is not supported",
        "ottl unknown path | {name: p, type: ottl_condition, ottl_condition: {span: ['links == 2']}} | cannot evaluate OTTL condition \"links == 2\": path links is not supported in the span context",
        "ottl value not condition | {name: p, type: ottl_condition, ottl_condition: {spanevent: ['attributes[\"x\"]']}} | cannot evaluate OTTL condition \"attributes[\"x\"]\": it is a value, not a condition",
        "empty and | {name: p, type: and, and: {}} | policies[p].and.and_sub_policy: at least one sub-policy is required",
        "nested error is named | {name: p, type: and, and: {and_sub_policy: [{name: q, type: span_count, span_count: {min_spans: 5, max_spans: 2}}]}} | policies[p].and.and_sub_policy[q].span_count.max_spans: must not be below min_spans (5), found 2",
        "order names unknown policy | {name: p, type: composite, composite: {max_total_spans_per_second: 10, policy_order: [x], composite_sub_policy: [{name: a, type: always_sample}]}} | policies[p].composite.policy_order: names 'x'",
        "allocation above 100 | {name: p, type: composite, composite: {max_total_spans_per_second: 10, composite_sub_policy: [{name: a, type: always_sample}, {name: b, type: always_sample}], rate_allocation: [{policy: a, percent: 80}, {policy: b, percent: 30}]}} | policies[p].composite.rate_allocation: percentages add up to 110",
        "ema without goal | {name: p, type: ema_throughput, ema_throughput: {key_fields: [service.name]}} | policies[p].ema_throughput.goal_throughput_per_sec: must be greater than zero",
        "ema weight | {name: p, type: ema_throughput, ema_throughput: {goal_throughput_per_sec: 5, weight: 2}} | policies[p].ema_throughput.weight: must be in (0, 1]",
        "block of another type | {name: p, type: always_sample, latency: {threshold_ms: 5}} | policies[p]: unknown key(s) [latency]",
      })
  void invalidPolicyIsRefusedNamingPolicyAndKey(String title, String policyYaml, String expectedMessage) {
    String yaml = "processors:\n  tail_sampling:\n    policies:\n      - " + policyYaml + "\n";
    PipelineConfig pipeline = PipelineConfig.parse("test.yaml", yaml, new FunctionEnvironment(Map.of()));
    ConfigException e = assertThrows(ConfigException.class, () -> TailSamplingConfig.from(pipeline));
    assertTrue(e.getMessage().contains(expectedMessage), () -> "message was: " + e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no policies | {decision_wait: 5s} | processors.tail_sampling.policies: at least one policy is required",
        "bad wait | {decision_wait: soon, policies: [{name: a, type: always_sample}]} | processors.tail_sampling.decision_wait: 'soon' is not a duration",
        "zero wait | {decision_wait: 0s, policies: [{name: a, type: always_sample}]} | processors.tail_sampling.decision_wait: must be greater than zero",
        "duplicate names | {policies: [{name: a, type: always_sample}, {name: a, type: always_sample}]} | policy name 'a' is used twice",
        "unknown top key | {decision_wiat: 5s, policies: [{name: a, type: always_sample}]} | processors.tail_sampling: unknown key(s) [decision_wiat]",
      })
  void invalidProcessorSettingsAreRefusedNamingTheKey(String title, String settingsYaml, String expectedMessage) {
    String yaml = "processors:\n  tail_sampling: " + settingsYaml + "\n";
    PipelineConfig pipeline = PipelineConfig.parse("test.yaml", yaml, new FunctionEnvironment(Map.of()));
    ConfigException e = assertThrows(ConfigException.class, () -> TailSamplingConfig.from(pipeline));
    assertTrue(e.getMessage().contains(expectedMessage), () -> "message was: " + e.getMessage());
  }

  @Test
  void theCurrentCollectorsKeysAreAcceptedWithTheirMeaningOrANote() {
    String yaml =
        """
        processors:
          tail_sampling:
            block_on_overflow: true
            maximum_trace_size_bytes: 1048576
            sampling_strategy: trace-complete
            tail_storage: file_storage/traces
            drop_pending_traces_on_shutdown: true
            policies:
              - {name: head-sampled, type: trace_flags, trace_flags: {}}
              - {name: limited, type: rate_limiting, rate_limiting: {spans_per_second: 100, burst_capacity: 200}}
        """;
    TailSamplingConfig c = TailSamplingConfig.from(PipelineConfig.parse("test.yaml", yaml, new FunctionEnvironment(Map.of())));
    assertEquals(List.of(new PolicyConfig.TraceFlags("head-sampled"), new PolicyConfig.RateLimiting("limited", 100)), c.policies());
    assertEquals(
        List.of(
            "processors.tail_sampling.block_on_overflow has no effect here: nothing overflows: waiting traces are carried in each "
                + "shard's state, not held in a bounded memory",
            "processors.tail_sampling.maximum_trace_size_bytes has no effect here: a trace's spans in hand are bounded by "
                + "max_spans_per_trace; a bigger trace is decided at once",
            "processors.tail_sampling.sampling_strategy has no effect here: every trace is decided once, on the spans that reached "
                + "its shard within decision_wait, and late spans follow",
            "processors.tail_sampling.tail_storage has no effect here: waiting traces are always carried in each shard's state "
                + "(ShardStateBucket)",
            "processors.tail_sampling.drop_pending_traces_on_shutdown has no effect here: there is no shutdown: waiting traces survive "
                + "every invocation in the shard's state and are decided when due",
            "processors.tail_sampling.policies[limited].rate_limiting.burst_capacity has no effect here: rate_limiting counts the "
                + "spans of each second against spans_per_second, per container"),
        c.notes());
    assertFalse(c.recordPolicy());
    assertTrue(TailSamplingConfig.from(PipelineConfig.parse("test.yaml", yaml, new FunctionEnvironment(Map.of())), true).recordPolicy());
    assertFalse(TailSamplingConfig.from(PipelineConfig.empty(), true).recordPolicy(), "nothing recorded without a tail_sampling processor");
  }
}
