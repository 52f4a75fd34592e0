package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.ottl.OttlCondition;
import io.otelpipeline.core.sampling.ottl.OttlContext;
import io.otelpipeline.core.sampling.ottl.SpanView;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.util.List;

/** Samples when any span matches any span condition, or any span event matches any spanevent condition. */
final class OttlConditionPolicy implements PolicyEvaluator {
  private final String name;
  private final List<OttlCondition> spanConditions;
  private final List<OttlCondition> eventConditions;

  OttlConditionPolicy(PolicyConfig.OttlCondition config) {
    this.name = config.name();
    this.spanConditions = config.spanConditions().stream().map(c -> OttlCondition.compile(c, OttlContext.SPAN, name)).toList();
    this.eventConditions =
        config.spanEventConditions().stream().map(c -> OttlCondition.compile(c, OttlContext.SPANEVENT, name)).toList();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    for (TraceSpan s : trace.spans()) {
      SpanView view = SpanView.of(s.resource().getResource(), s.span());
      for (OttlCondition c : spanConditions) {
        if (c.matches(view)) {
          return PolicyDecision.sampled(name);
        }
      }
      if (!eventConditions.isEmpty()) {
        for (Span.Event e : s.span().getEventsList()) {
          SpanView ev = view.withEvent(e);
          for (OttlCondition c : eventConditions) {
            if (c.matches(ev)) {
              return PolicyDecision.sampled(name);
            }
          }
        }
      }
    }
    return PolicyDecision.notSampled(name);
  }
}
