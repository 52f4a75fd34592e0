package io.otelpipeline.core.sampling.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceFlagsPolicyTest {
  /** OTLP span flags: the W3C trace flags in the low byte, other bits (such as the remote-parent bits) above it. */
  @ParameterizedTest(name = "flags {0} and {1}: {2}")
  @CsvSource({"0, 0, NOT_SAMPLED", "1, 0, SAMPLED", "0, 257, SAMPLED", "768, 0, NOT_SAMPLED", "256, 2, NOT_SAMPLED"})
  void samplesWhenAnySpanCarriesTheSampledFlag(int first, int second, Decision expected) {
    Trace trace = new Trace(ByteString.copyFrom(new byte[16]), List.of(span(first), span(second)));
    PolicyEvaluator p = SamplingPolicies.evaluator(new PolicyConfig.TraceFlags("head-sampled"), Clock.systemUTC());
    assertEquals(expected, p.evaluate(trace).decision());
  }

  private static TraceSpan span(int flags) {
    return new TraceSpan(ResourceSpans.getDefaultInstance(), ScopeSpans.getDefaultInstance(), Span.newBuilder().setFlags(flags).build());
  }
}
