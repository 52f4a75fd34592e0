package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;

/** Samples when a span or its resource has the boolean attribute with the configured value. */
final class BooleanAttributePolicy implements PolicyEvaluator {
  private final PolicyConfig.BooleanAttribute config;

  BooleanAttributePolicy(PolicyConfig.BooleanAttribute config) {
    this.config = config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    boolean match =
        SpanAttributes.anySpan(
            trace.spans(), config.key(), v -> v.getValueCase() == AnyValue.ValueCase.BOOL_VALUE && v.getBoolValue() == config.value());
    return match != config.invertMatch() ? PolicyDecision.sampled(name()) : PolicyDecision.notSampled(name());
  }
}
