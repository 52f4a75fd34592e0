package io.otelpipeline.core.sampling.policy;

import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.util.EnumSet;
import java.util.Set;

/** Samples when any span's status code is one of the configured ones. */
final class StatusCodePolicy implements PolicyEvaluator {
  private final String name;
  private final Set<Status.StatusCode> codes = EnumSet.noneOf(Status.StatusCode.class);

  StatusCodePolicy(PolicyConfig.StatusCode config) {
    this.name = config.name();
    for (String c : config.statusCodes()) {
      codes.add(Status.StatusCode.valueOf("STATUS_CODE_" + c));
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyDecision evaluate(Trace trace) {
    return PolicyEvaluator.anySpan(name, trace, s -> codes.contains(s.span().getStatus().getCode()));
  }
}
