package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;

/** Samples when a span or its resource has an integer attribute within [min_value, max_value]. */
final class NumericAttributePolicy implements PolicyEvaluator {
  private final PolicyConfig.NumericAttribute config;
  private final long min;
  private final long max;

  NumericAttributePolicy(PolicyConfig.NumericAttribute config) {
    this.config = config;
    this.min = config.minValue().orElse(Long.MIN_VALUE);
    this.max = config.maxValue().orElse(Long.MAX_VALUE);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    boolean match =
        SpanAttributes.anySpan(
            trace.spans(),
            config.key(),
            v -> v.getValueCase() == AnyValue.ValueCase.INT_VALUE && v.getIntValue() >= min && v.getIntValue() <= max);
    return match != config.invertMatch() ? PolicyDecision.sampled(name()) : PolicyDecision.notSampled(name());
  }
}
