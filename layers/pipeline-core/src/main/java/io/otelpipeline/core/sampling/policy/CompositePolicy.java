package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.trace.Trace;
import java.time.Clock;
import java.util.List;

/**
 * Sub-policies in {@code policy_order}, each with a share of {@code max_total_spans_per_second}:
 * the first sub-policy that samples the trace keeps it if its share and the total still have room
 * this second; otherwise the trace is not sampled. Per container, like every rate here.
 */
final class CompositePolicy implements PolicyEvaluator {
  /** A sub-policy with the spans per second it may keep. */
  record Allocated(PolicyEvaluator policy, long spansPerSecond) {}

  private final String name;
  private final long maxTotalSpansPerSecond;
  private final List<Allocated> subPolicies;
  private final long[] spansThisSecond;
  private final Clock clock;
  private long currentSecond = Long.MIN_VALUE;
  private long totalThisSecond;

  CompositePolicy(String name, long maxTotalSpansPerSecond, List<Allocated> subPolicies, Clock clock) {
    this.name = name;
    this.maxTotalSpansPerSecond = maxTotalSpansPerSecond;
    this.subPolicies = subPolicies;
    this.spansThisSecond = new long[subPolicies.size()];
    this.clock = clock;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized PolicyDecision evaluate(Trace trace) {
    long second = Math.floorDiv(clock.millis(), 1000L);
    if (second != currentSecond) {
      currentSecond = second;
      totalThisSecond = 0;
      java.util.Arrays.fill(spansThisSecond, 0);
    }
    for (int i = 0; i < subPolicies.size(); i++) {
      Allocated sub = subPolicies.get(i);
      PolicyDecision d = sub.policy().evaluate(trace);
      if (d.isSampled()) {
        long ifSampled = spansThisSecond[i] + trace.spanCount();
        if (ifSampled <= sub.spansPerSecond() && totalThisSecond + trace.spanCount() <= maxTotalSpansPerSecond) {
          spansThisSecond[i] = ifSampled;
          totalThisSecond += trace.spanCount();
          return d.byComposite(name);
        }
        return PolicyDecision.notSampled(name);
      }
    }
    return PolicyDecision.notSampled(name);
  }
}
