package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Samples when a span or its resource has a string attribute equal to one of the values (or, with
 * regex matching, containing a match of one, as Go's MatchString does); inverted, samples when none does.
 */
final class StringAttributePolicy implements PolicyEvaluator {
  private final PolicyConfig.StringAttribute config;
  private final Predicate<String> matcher;

  StringAttributePolicy(PolicyConfig.StringAttribute config) {
    this.config = config;
    if (config.enabledRegexMatching()) {
      List<Pattern> patterns = config.values().stream().map(Pattern::compile).toList();
      this.matcher = s -> patterns.stream().anyMatch(p -> p.matcher(s).find());
    } else {
      Set<String> values = Set.copyOf(config.values());
      this.matcher = values::contains;
    }
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
            v -> v.getValueCase() == AnyValue.ValueCase.STRING_VALUE && matcher.test(v.getStringValue()));
    return match != config.invertMatch() ? PolicyDecision.sampled(name()) : PolicyDecision.notSampled(name());
  }
}
