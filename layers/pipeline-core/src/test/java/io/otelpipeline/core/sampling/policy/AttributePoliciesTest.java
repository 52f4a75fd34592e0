package io.otelpipeline.core.sampling.policy;

import static io.otelpipeline.core.sampling.policy.Spans.attr;
import static io.otelpipeline.core.sampling.policy.Spans.span;
import static io.otelpipeline.core.sampling.policy.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven cases for the stateless policies, after the Collector's tests of each. */
class AttributePoliciesTest {
  private static final Decision S = Decision.SAMPLED;
  private static final Decision N = Decision.NOT_SAMPLED;

  static Stream<Arguments> cases() {
    PolicyConfig numeric = new PolicyConfig.NumericAttribute("n", "example", OptionalLong.of(100), OptionalLong.of(200), false);
    PolicyConfig numericInvert = new PolicyConfig.NumericAttribute("n", "example", OptionalLong.of(100), OptionalLong.of(200), true);
    PolicyConfig numericMinOnly = new PolicyConfig.NumericAttribute("n", "example", OptionalLong.of(100), OptionalLong.empty(), false);
    PolicyConfig string = new PolicyConfig.StringAttribute("s", "example", List.of("value", "other"), false, 0, false);
    PolicyConfig stringRegex = new PolicyConfig.StringAttribute("s", "example", List.of("v[0-9]+"), true, 0, false);
    PolicyConfig stringInvert = new PolicyConfig.StringAttribute("s", "example", List.of("value"), false, 0, true);
    PolicyConfig bool = new PolicyConfig.BooleanAttribute("b", "example", true, false);
    PolicyConfig boolInvert = new PolicyConfig.BooleanAttribute("b", "example", true, true);
    PolicyConfig status = new PolicyConfig.StatusCode("st", List.of("ERROR"));
    PolicyConfig statusOkUnset = new PolicyConfig.StatusCode("st", List.of("OK", "UNSET"));
    PolicyConfig traceState = new PolicyConfig.TraceState("ts", "example", List.of("value1", "value2"));
    PolicyConfig latency = new PolicyConfig.Latency("lat", 5000, 0);
    PolicyConfig latencyBounded = new PolicyConfig.Latency("lat", 5000, 10000);
    PolicyConfig spanCount = new PolicyConfig.SpanCount("sc", 2, 3);
    PolicyConfig spanCountMinOnly = new PolicyConfig.SpanCount("sc", 2, 0);
    long s = 1_000_000_000L;
    return Stream.of(
        Arguments.of("numeric: span attribute in range", numeric, trace().withAttributes(attr("example", 150L)).build(), S),
        Arguments.of("numeric: bounds are inclusive", numeric, trace().withAttributes(attr("example", 200L)).build(), S),
        Arguments.of("numeric: below range", numeric, trace().withAttributes(attr("example", 99L)).build(), N),
        Arguments.of("numeric: resource attribute", numeric, trace().resource(attr("example", 120L)).with(span()).build(), S),
        Arguments.of("numeric: string is not a number", numeric, trace().withAttributes(attr("example", "150")).build(), N),
        Arguments.of("numeric: missing attribute", numeric, trace().withAttributes(attr("other", 150L)).build(), N),
        Arguments.of("numeric: any span matches", numeric, trace().withAttributes(attr("example", 1L)).withAttributes(attr("example", 101L)).build(), S),
        Arguments.of("numeric: min only", numericMinOnly, trace().withAttributes(attr("example", 1_000_000L)).build(), S),
        Arguments.of("numeric invert: match is not sampled", numericInvert, trace().withAttributes(attr("example", 150L)).build(), N),
        Arguments.of("numeric invert: no match is sampled", numericInvert, trace().withAttributes(attr("example", 50L)).build(), S),
        Arguments.of("string: exact value", string, trace().withAttributes(attr("example", "other")).build(), S),
        Arguments.of("string: no partial match without regex", string, trace().withAttributes(attr("example", "values")).build(), N),
        Arguments.of("string: resource attribute", string, trace().resource(attr("example", "value")).with(span()).build(), S),
        Arguments.of("string: regex", stringRegex, trace().withAttributes(attr("example", "v123")).build(), S),
        Arguments.of("string: regex finds within", stringRegex, trace().withAttributes(attr("example", "xv1x")).build(), S),
        Arguments.of("string: regex no match", stringRegex, trace().withAttributes(attr("example", "vx")).build(), N),
        Arguments.of("string invert: match", stringInvert, trace().withAttributes(attr("example", "value")).build(), N),
        Arguments.of("string invert: missing attribute", stringInvert, trace().withAttributes(attr("x", "value")).build(), S),
        Arguments.of("boolean: true", bool, trace().withAttributes(attr("example", true)).build(), S),
        Arguments.of("boolean: false", bool, trace().withAttributes(attr("example", false)).build(), N),
        Arguments.of("boolean: string true is not boolean", bool, trace().withAttributes(attr("example", "true")).build(), N),
        Arguments.of("boolean invert: true", boolInvert, trace().withAttributes(attr("example", true)).build(), N),
        Arguments.of("boolean invert: false", boolInvert, trace().withAttributes(attr("example", false)).build(), S),
        Arguments.of("status: error span", status, trace().withStatus(StatusCode.STATUS_CODE_OK).withStatus(StatusCode.STATUS_CODE_ERROR).build(), S),
        Arguments.of("status: no error", status, trace().withStatus(StatusCode.STATUS_CODE_OK).withStatus(StatusCode.STATUS_CODE_UNSET).build(), N),
        Arguments.of("status: unset matches UNSET", statusOkUnset, trace().with(span()).build(), S),
        Arguments.of("trace_state: key with value", traceState, trace().with(span().setTraceState("a=b,example=value2")).build(), S),
        Arguments.of("trace_state: other value", traceState, trace().with(span().setTraceState("example=value3")).build(), N),
        Arguments.of("trace_state: empty", traceState, trace().with(span()).build(), N),
        Arguments.of("latency: over threshold", latency, trace().withTimes(0, 2 * s).withTimes(s, 6 * s).build(), S),
        Arguments.of("latency: trace span counts, not each span", latency, trace().withTimes(0, 3 * s).withTimes(3 * s, 5 * s).build(), S),
        Arguments.of("latency: under threshold", latency, trace().withTimes(0, 4 * s).build(), N),
        Arguments.of("latency bounded: inside", latencyBounded, trace().withTimes(0, 7 * s).build(), S),
        Arguments.of("latency bounded: at lower bound is out", latencyBounded, trace().withTimes(0, 5 * s).build(), N),
        Arguments.of("latency bounded: above", latencyBounded, trace().withTimes(0, 11 * s).build(), N),
        Arguments.of("span_count: below", spanCount, trace().withCount(1).build(), N),
        Arguments.of("span_count: inside", spanCount, trace().withCount(3).build(), S),
        Arguments.of("span_count: above", spanCount, trace().withCount(4).build(), N),
        Arguments.of("span_count: no upper bound", spanCountMinOnly, trace().withCount(400).build(), S),
        Arguments.of("always_sample", new PolicyConfig.AlwaysSample("a"), trace().withCount(1).build(), S));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String title, PolicyConfig config, Trace trace, Decision expected) {
    PolicyDecision d = SamplingPolicies.evaluator(config, Clock.systemUTC()).evaluate(trace);
    assertEquals(expected, d.decision());
    assertEquals(config.name(), d.policy());
  }
}
