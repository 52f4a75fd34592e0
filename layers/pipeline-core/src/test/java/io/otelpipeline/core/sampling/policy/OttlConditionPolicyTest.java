package io.otelpipeline.core.sampling.policy;

import static io.otelpipeline.core.sampling.policy.Spans.attr;
import static io.otelpipeline.core.sampling.policy.Spans.span;
import static io.otelpipeline.core.sampling.policy.Spans.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.sampling.config.PolicyConfig;
import io.otelpipeline.core.sampling.trace.Trace;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OttlConditionPolicyTest {
  private static final long SECOND = 1_000_000_000L;

  private static Trace serverError() {
    return trace()
        .resource(attr("service.name", "checkout"))
        .with(
            span()
                .setName("POST /checkout")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
                .setStartTimeUnixNano(10 * SECOND)
                .setEndTimeUnixNano(13 * SECOND)
                .addAttributes(attr("http.status_code", 503L))
                .addAttributes(attr("ratio", 0.75))
                .addAttributes(attr("cached", false))
                .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(attr("exception.type", "java.io.IOException"))))
        .build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("int attribute comparison", "attributes[\"http.status_code\"] >= 500", true),
        Arguments.of("int attribute below", "attributes[\"http.status_code\"] < 500", false),
        Arguments.of("float literal against int", "attributes[\"http.status_code\"] > 502.5", true),
        Arguments.of("float attribute", "attributes[\"ratio\"] == 0.75", true),
        Arguments.of("bool attribute", "attributes[\"cached\"] == false", true),
        Arguments.of("missing attribute equals nil", "attributes[\"missing\"] == nil", true),
        Arguments.of("missing attribute never compares", "attributes[\"missing\"] > 1", false),
        Arguments.of("resource attribute", "resource.attributes[\"service.name\"] == \"checkout\"", true),
        Arguments.of("name", "name == \"POST /checkout\"", true),
        Arguments.of("kind enum", "kind == SPAN_KIND_SERVER", true),
        Arguments.of("kind other", "kind == SPAN_KIND_CLIENT", false),
        Arguments.of("status enum", "status.code == STATUS_CODE_ERROR", true),
        Arguments.of("duration", "end_time_unix_nano - start_time_unix_nano > 2000000000", true),
        Arguments.of("duration too short", "end_time_unix_nano - start_time_unix_nano >= 4000000000", false),
        Arguments.of("and", "kind == SPAN_KIND_SERVER and status.code == STATUS_CODE_ERROR", true),
        Arguments.of("or", "name == \"x\" or attributes[\"http.status_code\"] == 503", true),
        Arguments.of("not", "not name == \"x\"", true),
        Arguments.of("parentheses", "not (name == \"x\" or kind == SPAN_KIND_SERVER)", false),
        Arguments.of("IsMatch", "IsMatch(name, \"^POST /check\")", true),
        Arguments.of("IsMatch resource", "IsMatch(resource.attributes[\"service.name\"], \"pay.*\")", false),
        Arguments.of("string inequality", "name != \"POST /checkout\"", false),
        Arguments.of("negative number", "attributes[\"http.status_code\"] > -1", true),
        Arguments.of("type mismatch is not equal", "attributes[\"http.status_code\"] == \"503\"", false));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void spanCondition(String title, String condition, boolean sampled) {
    PolicyConfig c = new PolicyConfig.OttlCondition("o", "propagate", List.of(condition), List.of());
    PolicyDecision d = SamplingPolicies.evaluator(c, Clock.systemUTC()).evaluate(serverError());
    assertEquals(sampled ? Decision.SAMPLED : Decision.NOT_SAMPLED, d.decision());
  }

  static Stream<Arguments> eventCases() {
    return Stream.of(
        Arguments.of("event name", "name == \"exception\"", true),
        Arguments.of("event attribute", "IsMatch(attributes[\"exception.type\"], \"IOException$\")", true),
        Arguments.of("span fields from the event", "span.name == \"POST /checkout\" and span.attributes[\"http.status_code\"] == 503", true),
        Arguments.of("event attribute absent", "attributes[\"http.status_code\"] == 503", false));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("eventCases")
  void spanEventCondition(String title, String condition, boolean sampled) {
    PolicyConfig c = new PolicyConfig.OttlCondition("o", "propagate", List.of(), List.of(condition));
    PolicyDecision d = SamplingPolicies.evaluator(c, Clock.systemUTC()).evaluate(serverError());
    assertEquals(sampled ? Decision.SAMPLED : Decision.NOT_SAMPLED, d.decision());
  }
}
