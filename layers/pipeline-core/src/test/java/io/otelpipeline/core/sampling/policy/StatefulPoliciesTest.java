package io.otelpipeline.core.sampling.policy;

import static io.otelpipeline.core.sampling.policy.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rate limits, byte limits and composites, with a clock the test moves. */
class StatefulPoliciesTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

  @Test
  void rateLimitingSamplesWhileTheSecondHasRoomAndResetsNextSecond() {
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.RateLimiting("r", 10), clock);
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(4).build()).decision());
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(5).build()).decision());
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(1).build()).decision(), "9 + 1 is not below 10");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(9).build()).decision());
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(10).build()).decision());
  }

  @Test
  void bytesLimitingRefillsAtTheRateUpToTheBurst() {
    int size = trace().withCount(1).build().spans().get(0).span().getSerializedSize();
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.BytesLimiting("b", size, 2L * size), clock);
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(1).build()).decision());
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(1).build()).decision());
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(1).build()).decision(), "burst spent");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(1).build()).decision());
    clock.advance(Duration.ofSeconds(60));
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(3).build()).decision(), "never more than the burst");
  }

  @Test
  void compositeGivesEachSubPolicyItsShareInPolicyOrder() {
    PolicyConfig.Composite c =
        new PolicyConfig.Composite(
            "composite",
            100,
            List.of("errors", "rest"),
            List.of(new PolicyConfig.AlwaysSample("rest"), new PolicyConfig.StatusCode("errors", List.of("ERROR"))),
            List.of(new PolicyConfig.RateAllocation("errors", 60), new PolicyConfig.RateAllocation("rest", 40)));
    PolicyEvaluator p = SamplingPolicies.evaluator(c, clock);

    PolicyDecision first = p.evaluate(trace().withCount(38).withStatus(StatusCode.STATUS_CODE_ERROR).build());
    assertEquals(Decision.SAMPLED, first.decision());
    assertEquals("composite", first.policy());
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(20).withStatus(StatusCode.STATUS_CODE_ERROR).build()).decision());
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(1).withStatus(StatusCode.STATUS_CODE_ERROR).build()).decision(),
        "errors used their 60 spans; the first sampling sub-policy decides, later ones are not asked");
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(40).build()).decision(), "rest has 40");
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(1).build()).decision());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Decision.SAMPLED, p.evaluate(trace().withCount(40).build()).decision());
  }

  @Test
  void aCompositeSubPolicyWithoutAllocationGetsNoBudgetAsInTheCollector() {
    PolicyConfig.Composite c =
        new PolicyConfig.Composite(
            "composite",
            100,
            List.of(),
            List.of(new PolicyConfig.AlwaysSample("a"), new PolicyConfig.AlwaysSample("b")),
            List.of(new PolicyConfig.RateAllocation("b", 30)));
    PolicyEvaluator p = SamplingPolicies.evaluator(c, clock);
    assertEquals(Decision.NOT_SAMPLED, p.evaluate(trace().withCount(1).build()).decision(), "a matches first but has no budget");
  }

  @Test
  void emaThroughputFollowsTheGoalAndFavoursRareKeys() {
    PolicyConfig.EmaThroughput c =
        new PolicyConfig.EmaThroughput("ema", 10, List.of("service.name"), Duration.ofSeconds(10), 0.5, 0.5, 500);
    PolicyEvaluator p = SamplingPolicies.evaluator(c, clock);
    long id = 0;
    int keptBusy = 0;
    int keptRare = 0;
    for (int interval = 0; interval < 6; interval++) {
      keptBusy = 0;
      keptRare = 0;
      for (int i = 0; i < 1000; i++) {
        if (p.evaluate(trace().id(Spans.traceId(id++)).resource(Spans.attr("service.name", "busy")).withCount(1).build()).isSampled()) {
          keptBusy++;
        }
      }
      for (int i = 0; i < 5; i++) {
        if (p.evaluate(trace().id(Spans.traceId(id++)).resource(Spans.attr("service.name", "rare")).withCount(1).build()).isSampled()) {
          keptRare++;
        }
      }
      clock.advance(Duration.ofSeconds(10));
    }
    assertEquals(5, keptRare, "a key below its share is kept whole");
    assertTrue(keptBusy > 60 && keptBusy < 130, "goal 100 per interval, less the rare key's 5: kept " + keptBusy);
    double pBusy = ((EmaThroughputPolicy) p).probability("busy");
    assertEquals(0.095, pBusy, 0.001);
  }

  @Test
  void emaSharesWaterFill() {
    var shares = EmaThroughputPolicy.shares(java.util.Map.of("a", 2.0, "b", 100.0, "c", 1000.0), 100);
    assertEquals(1.0, shares.get("a"));
    assertEquals(0.49, shares.get("b"), 1e-9);
    assertEquals(0.049, shares.get("c"), 1e-9);
  }
}
