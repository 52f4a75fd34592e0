package io.otelpipeline.core.sampling.policy;

import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.util.Set;

/** Samples when any span's W3C tracestate has the key with one of the values. */
final class TraceStatePolicy implements PolicyEvaluator {
  private final String name;
  private final String prefix;
  private final Set<String> values;

  TraceStatePolicy(PolicyConfig.TraceState config) {
    this.name = config.name();
    this.prefix = config.key() + "=";
    this.values = Set.copyOf(config.values());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    return PolicyEvaluator.anySpan(name, trace, s -> {
      for (String member : s.span().getTraceState().split(",")) {
        String m = member.trim();
        if (m.startsWith(prefix) && values.contains(m.substring(prefix.length()))) {
          return true;
        }
      }
      return false;
    });
  }
}
