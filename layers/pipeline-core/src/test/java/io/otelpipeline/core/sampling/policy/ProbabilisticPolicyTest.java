package io.otelpipeline.core.sampling.policy;

import static io.otelpipeline.core.sampling.policy.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProbabilisticPolicyTest {

  /** Within five standard deviations of the binomial share for 100,000 traces. */
  @ParameterizedTest(name = "{0}%")
  @CsvSource({"0", "0.1", "1", "10", "33.3", "50", "99", "100"})
  void keepsTheConfiguredShare(double percentage) {
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", percentage, "salt"), Clock.systemUTC());
    int n = 100_000;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (p.evaluate(trace().id(Spans.traceId(i * 7919L)).withCount(1).build()).isSampled()) {
        kept++;
      }
    }
    double q = percentage / 100;
    double tolerance = 5 * Math.sqrt(n * q * (1 - q));
    assertEquals(n * q, kept, tolerance);
  }

  @Test
  void sameTraceSameAnswerEverywhereAndTheSaltChangesWhichTraces() {
    PolicyEvaluator a = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 50, "one"), Clock.systemUTC());
    PolicyEvaluator b = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 50, "one"), Clock.systemUTC());
    PolicyEvaluator salted = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 50, "two"), Clock.systemUTC());
    int differs = 0;
    for (int i = 0; i < 1000; i++) {
      var t = trace().id(Spans.traceId(i)).withCount(1).build();
      assertEquals(a.evaluate(t).decision(), b.evaluate(t).decision());
      if (a.evaluate(t).decision() != salted.evaluate(t).decision()) {
        differs++;
      }
    }
    assertNotEquals(0, differs);
  }

  @Test
  void aKeepCarriesItsProbability() {
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.Probabilistic("p", 100, "s"), Clock.systemUTC());
    assertEquals(1.0, p.evaluate(trace().withCount(1).build()).probability().getAsDouble());
  }
}
