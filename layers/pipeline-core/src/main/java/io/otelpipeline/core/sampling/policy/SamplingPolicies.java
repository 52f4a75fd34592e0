package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured policies and how their answers combine, as in the current Collector: the
 * {@code drop} policies are evaluated first, wherever they are listed, and one that matches
 * drops the trace; then the others in order, where any sample keeps it (the first sampling policy
 * is the reason), otherwise not sampled. With {@code sample_on_first_match} evaluation stops at
 * the first policy that samples.
 */
public final class SamplingPolicies {
  private final List<PolicyEvaluator> dropPolicies;
  private final List<PolicyEvaluator> policies;
  private final boolean sampleOnFirstMatch;

  private SamplingPolicies(List<PolicyEvaluator> dropPolicies, List<PolicyEvaluator> policies, boolean sampleOnFirstMatch) {
    this.dropPolicies = dropPolicies;
    this.policies = policies;
    this.sampleOnFirstMatch = sampleOnFirstMatch;
  }

  public static SamplingPolicies create(TailSamplingConfig config, Clock clock) {
    List<PolicyEvaluator> drops = new ArrayList<>();
    List<PolicyEvaluator> others = new ArrayList<>();
    for (PolicyConfig p : config.policies()) {
      (p instanceof PolicyConfig.Drop ? drops : others).add(evaluator(p, clock));
    }
    return new SamplingPolicies(List.copyOf(drops), List.copyOf(others), config.sampleOnFirstMatch());
  }

  public PolicyDecision decide(Trace trace) {
    for (PolicyEvaluator drop : dropPolicies) {
      PolicyDecision d = drop.evaluate(trace);
      if (d.decision() == Decision.DROPPED) {
        return d;
      }
    }
    PolicyDecision firstSampled = null;
    for (PolicyEvaluator p : policies) {
      PolicyDecision d = p.evaluate(trace);
      if (d.decision() == Decision.DROPPED) {
        return d;
      }
      if (d.isSampled() && firstSampled == null) {
        firstSampled = d;
        if (sampleOnFirstMatch) {
          return d;
        }
      }
    }
    return firstSampled != null ? firstSampled : PolicyDecision.notSampled(PolicyDecision.NO_POLICY);
  }

  /** Builds the evaluator of one policy configuration. */
  public static PolicyEvaluator evaluator(PolicyConfig config, Clock clock) {
    if (config instanceof PolicyConfig.AlwaysSample c) {
      return new AlwaysSamplePolicy(c.name());
    }
    if (config instanceof PolicyConfig.Latency c) {
      return new LatencyPolicy(c);
    }
    if (config instanceof PolicyConfig.NumericAttribute c) {
      return new NumericAttributePolicy(c);
    }
    if (config instanceof PolicyConfig.Probabilistic c) {
      return new ProbabilisticPolicy(c);
    }
    if (config instanceof PolicyConfig.StatusCode c) {
      return new StatusCodePolicy(c);
    }
    if (config instanceof PolicyConfig.StringAttribute c) {
      return new StringAttributePolicy(c);
    }
    if (config instanceof PolicyConfig.TraceState c) {
      return new TraceStatePolicy(c);
    }
    if (config instanceof PolicyConfig.TraceFlags c) {
      return new TraceFlagsPolicy(c.name());
    }
    if (config instanceof PolicyConfig.RateLimiting c) {
      return new RateLimitingPolicy(c, clock);
    }
    if (config instanceof PolicyConfig.BytesLimiting c) {
      return new BytesLimitingPolicy(c, clock);
    }
    if (config instanceof PolicyConfig.SpanCount c) {
      return new SpanCountPolicy(c);
    }
    if (config instanceof PolicyConfig.BooleanAttribute c) {
      return new BooleanAttributePolicy(c);
    }
    if (config instanceof PolicyConfig.OttlCondition c) {
      return new OttlConditionPolicy(c);
    }
    if (config instanceof PolicyConfig.And c) {
      return AndPolicy.sampling(c.name(), c.subPolicies().stream().map(s -> evaluator(s, clock)).toList());
    }
    if (config instanceof PolicyConfig.Not c) {
      return new NotPolicy(c.name(), evaluator(c.subPolicy(), clock));
    }
    if (config instanceof PolicyConfig.Drop c) {
      return AndPolicy.dropping(c.name(), c.subPolicies().stream().map(s -> evaluator(s, clock)).toList());
    }
    if (config instanceof PolicyConfig.Composite c) {
      return composite(c, clock);
    }
    if (config instanceof PolicyConfig.EmaThroughput c) {
      return new EmaThroughputPolicy(c, clock);
    }
    throw new IllegalArgumentException("no evaluator for " + config);
  }

  /**
   * Sub-policies in {@code policy_order}, then the rest in configured order. As in the Collector,
   * a sub-policy without a {@code rate_allocation} entry gets no budget: it can never keep a trace.
   */
  private static PolicyEvaluator composite(PolicyConfig.Composite c, Clock clock) {
    Map<String, PolicyConfig> byName = new LinkedHashMap<>();
    for (PolicyConfig s : c.subPolicies()) {
      byName.put(s.name(), s);
    }
    List<PolicyConfig> ordered = new ArrayList<>();
    for (String n : c.policyOrder()) {
      ordered.add(byName.remove(n));
    }
    ordered.addAll(byName.values());
    Map<String, Integer> percent = new HashMap<>();
    for (PolicyConfig.RateAllocation a : c.rateAllocation()) {
      percent.put(a.policy(), a.percent());
    }
    List<CompositePolicy.Allocated> subs = new ArrayList<>();
    for (PolicyConfig s : ordered) {
      double pct = percent.getOrDefault(s.name(), 0);
      subs.add(new CompositePolicy.Allocated(evaluator(s, clock), (long) (pct / 100.0 * c.maxTotalSpansPerSecond())));
    }
    return new CompositePolicy(c.name(), c.maxTotalSpansPerSecond(), List.copyOf(subs), clock);
  }
}
