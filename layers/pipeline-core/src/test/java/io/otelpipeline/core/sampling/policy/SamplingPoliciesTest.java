package io.otelpipeline.core.sampling.policy;

import static io.otelpipeline.core.sampling.policy.Spans.attr;
import static io.otelpipeline.core.sampling.policy.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The composites and how the policies' answers combine. */
class SamplingPoliciesTest {
  private static final PolicyConfig ERRORS = new PolicyConfig.StatusCode("errors", List.of("ERROR"));
  private static final PolicyConfig HEALTH = new PolicyConfig.StringAttribute("health", "http.route", List.of("/healthz"), false, 0, false);
  private static final PolicyConfig NEVER = new PolicyConfig.Probabilistic("never", 0, "s");
  private static final PolicyConfig ALWAYS = new PolicyConfig.AlwaysSample("always");

  private static Trace errorOnHealth() {
    return trace().withAttributes(attr("http.route", "/healthz")).withStatus(StatusCode.STATUS_CODE_ERROR).build();
  }

  private static Trace plainHealth() {
    return trace().withAttributes(attr("http.route", "/healthz")).build();
  }

  private static Trace plainError() {
    return trace().withStatus(StatusCode.STATUS_CODE_ERROR).build();
  }

  static Stream<Arguments> cases() {
    PolicyConfig and = new PolicyConfig.And("and", List.of(ERRORS, HEALTH));
    PolicyConfig not = new PolicyConfig.Not("not", HEALTH);
    PolicyConfig drop = new PolicyConfig.Drop("drop", List.of(HEALTH));
    PolicyConfig dropBoth = new PolicyConfig.Drop("drop", List.of(HEALTH, ERRORS));
    return Stream.of(
        Arguments.of("and: all sample", List.of(and), errorOnHealth(), Decision.SAMPLED, "and"),
        Arguments.of("and: one does not", List.of(and), plainHealth(), Decision.NOT_SAMPLED, PolicyDecision.NO_POLICY),
        Arguments.of("not: inverts a match", List.of(not), plainHealth(), Decision.NOT_SAMPLED, PolicyDecision.NO_POLICY),
        Arguments.of("not: inverts a miss", List.of(not), plainError(), Decision.SAMPLED, "not"),
        Arguments.of("drop wins over a sample before it", List.of(ALWAYS, drop), plainHealth(), Decision.DROPPED, "drop"),
        Arguments.of("drop wins over a sample after it", List.of(drop, ERRORS), errorOnHealth(), Decision.DROPPED, "drop"),
        Arguments.of("drop needs every sub-policy", List.of(dropBoth, ALWAYS), plainHealth(), Decision.SAMPLED, "always"),
        Arguments.of("drop with all sub-policies", List.of(dropBoth, ALWAYS), errorOnHealth(), Decision.DROPPED, "drop"),
        Arguments.of("any sample keeps; first one is the reason", List.of(NEVER, ERRORS, ALWAYS), plainError(), Decision.SAMPLED, "errors"),
        Arguments.of("nothing samples", List.of(NEVER, ERRORS), plainHealth(), Decision.NOT_SAMPLED, PolicyDecision.NO_POLICY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void combines(String title, List<PolicyConfig> policies, Trace trace, Decision expected, String reason) {
    TailSamplingConfig config =
        new TailSamplingConfig(Duration.ofSeconds(30), Optional.empty(), false, 10_000, Duration.ofHours(1), policies, false, List.of());
    PolicyDecision d = SamplingPolicies.create(config, Clock.systemUTC()).decide(trace);
    assertEquals(expected, d.decision());
    assertEquals(reason, d.policy());
  }

  @org.junit.jupiter.api.Test
  void dropPoliciesAreEvaluatedFirstEvenUnderSampleOnFirstMatch() {
    PolicyConfig drop = new PolicyConfig.Drop("drop", List.of(HEALTH));
    TailSamplingConfig config =
        new TailSamplingConfig(Duration.ofSeconds(30), Optional.empty(), true, 10_000, Duration.ofHours(1), List.of(ALWAYS, drop), false, List.of());
    PolicyDecision d = SamplingPolicies.create(config, Clock.systemUTC()).decide(plainHealth());
    assertEquals(Decision.DROPPED, d.decision());
    assertEquals("drop", d.policy());
    assertEquals(Decision.SAMPLED, SamplingPolicies.create(config, Clock.systemUTC()).decide(plainError()).decision());
  }

  @org.junit.jupiter.api.Test
  void anAndKeepCarriesItsProbabilisticSubPolicysProbability() {
    PolicyConfig half = new PolicyConfig.Probabilistic("half", 100, "s");
    PolicyConfig and = new PolicyConfig.And("errors-sampled", List.of(ERRORS, half));
    TailSamplingConfig config =
        new TailSamplingConfig(Duration.ofSeconds(30), Optional.empty(), false, 10_000, Duration.ofHours(1), List.of(and), false, List.of());
    PolicyDecision d = SamplingPolicies.create(config, Clock.systemUTC()).decide(plainError());
    assertEquals("errors-sampled", d.policy());
    assertEquals(1.0, d.probability().getAsDouble());
    TailSamplingConfig deterministic =
        new TailSamplingConfig(Duration.ofSeconds(30), Optional.empty(), false, 10_000, Duration.ofHours(1),
            List.of(new PolicyConfig.And("plain", List.of(ERRORS, ALWAYS))), false, List.of());
    assertTrue(SamplingPolicies.create(deterministic, Clock.systemUTC()).decide(plainError()).probability().isEmpty(),
        "an and of deterministic policies carries no probability");
  }
}
