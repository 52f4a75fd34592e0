package io.otelpipeline.core.spanmetrics;

import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static io.otelpipeline.core.testing.TestSpans.kv;
import static io.otelpipeline.core.testing.TestSpans.resource;
import static io.otelpipeline.core.testing.TestSpans.span;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.testing.TestSpans;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpanMetricsAggregatorTest {
  private static final Resource CHECKOUT = resource("checkout", "deployment.environment", "prod");
  private static final Resource FRONTEND = resource("frontend");
  private static final String T1 = "0af7651916cd43dd8448eb211c80319c";
  private static final String S = "{service.name=checkout,span.name=POST /pay,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET}";
  private static final String SE = "{service.name=checkout,span.name=POST /pay,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_ERROR}";

  record Input(Resource resource, Span span) {}

  static Input in(Resource resource, Span.Builder span) {
    return new Input(resource, span.build());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "default dimensions and the Collector's buckets in ms",
            "connectors:\n  spanmetrics:\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "POST /pay", 3, false)),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "POST /pay", 10, false)),
                in(CHECKOUT, span(T1, "0000000000000003", "", SPAN_KIND_SERVER, "POST /pay", 20_000, true)),
                in(FRONTEND, span(T1, "0000000000000004", "", SPAN_KIND_CLIENT, "GET", 0.5, false))),
            List.of(
                "traces.span.metrics.calls" + S + " 2",
                "traces.span.metrics.calls" + SE + " 1",
                "traces.span.metrics.duration" + S + " count=2 sum=13.000 buckets=[0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] exemplars=0",
                "traces.span.metrics.duration" + SE + " count=1 sum=20000.000 buckets=[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] exemplars=0",
                "traces.span.metrics.calls{service.name=frontend,span.name=GET,span.kind=SPAN_KIND_CLIENT,status.code=STATUS_CODE_UNSET} 1",
                "traces.span.metrics.duration{service.name=frontend,span.name=GET,span.kind=SPAN_KIND_CLIENT,status.code=STATUS_CODE_UNSET} count=1 sum=0.500 buckets=[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] exemplars=0")),
        Arguments.of(
            "head-sampled spans count by their adjusted count",
            "connectors:\n  spanmetrics:\n    histogram: {unit: s, explicit: {buckets: [1s]}}\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "POST /pay", 500, false).setTraceState("ot=th:c")),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "POST /pay", 1500, false).setTraceState("ot=th:8")),
                in(CHECKOUT, span(T1, "0000000000000003", "", SPAN_KIND_SERVER, "POST /pay", 100, false))),
            List.of(
                "traces.span.metrics.calls" + S + " 7",
                "traces.span.metrics.duration" + S + " count=7 sum=5.100 buckets=[5, 2] exemplars=0")),
        Arguments.of(
            "configured dimensions with defaults, excluded defaults, custom namespace",
            "connectors:\n  spanmetrics:\n    namespace: red\n    exclude_dimensions: [status.code, span.kind]\n"
                + "    dimensions: [{name: http.route, default: none}, {name: deployment.environment}, {name: absent}]\n"
                + "    histogram: {disable: true}\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "POST /pay", 3, true).addAttributes(kv("http.route", "/pay"))),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "POST /pay", 3, false))),
            List.of(
                "red.calls{service.name=checkout,span.name=POST /pay,http.route=/pay,deployment.environment=prod} 1",
                "red.calls{service.name=checkout,span.name=POST /pay,http.route=none,deployment.environment=prod} 1")),
        Arguments.of(
            "series beyond the cardinality limit overflow into one series",
            "connectors:\n  spanmetrics:\n    aggregation_cardinality_limit: 2\n    histogram: {explicit: {buckets: [5ms]}}\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "a", 1, false)),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "b", 1, false)),
                in(CHECKOUT, span(T1, "0000000000000003", "", SPAN_KIND_SERVER, "c", 9, false)),
                in(CHECKOUT, span(T1, "0000000000000004", "", SPAN_KIND_SERVER, "d", 1, false)),
                in(CHECKOUT, span(T1, "0000000000000005", "", SPAN_KIND_SERVER, "a", 1, false))),
            List.of(
                "traces.span.metrics.calls{service.name=checkout,span.name=a,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET} 2",
                "traces.span.metrics.calls{service.name=checkout,span.name=b,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET} 1",
                "traces.span.metrics.calls{otel.metric.overflow=true} 2",
                "traces.span.metrics.duration{service.name=checkout,span.name=a,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET} count=2 sum=2.000 buckets=[2, 0] exemplars=0",
                "traces.span.metrics.duration{service.name=checkout,span.name=b,span.kind=SPAN_KIND_SERVER,status.code=STATUS_CODE_UNSET} count=1 sum=1.000 buckets=[1, 0] exemplars=0",
                "traces.span.metrics.duration{otel.metric.overflow=true} count=2 sum=10.000 buckets=[1, 1] exemplars=0")),
        Arguments.of(
            "exemplars, at most max_per_data_point per series",
            "connectors:\n  spanmetrics:\n    exemplars: {enabled: true, max_per_data_point: 2}\n    histogram: {explicit: {buckets: [5ms]}}\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "POST /pay", 1, false)),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "POST /pay", 1, false)),
                in(CHECKOUT, span(T1, "0000000000000003", "", SPAN_KIND_SERVER, "POST /pay", 1, false))),
            List.of(
                "traces.span.metrics.calls" + S + " 3",
                "traces.span.metrics.duration" + S + " count=3 sum=3.000 buckets=[3, 0] exemplars=2")),
        Arguments.of(
            "events counted by event dimensions",
            "connectors:\n  spanmetrics:\n    exclude_dimensions: [status.code, span.kind]\n    histogram: {disable: true}\n"
                + "    events: {enabled: true, dimensions: [{name: exception.type}]}\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_INTERNAL, "charge", 1, true)
                    .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(kv("exception.type", "Timeout")))
                    .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(kv("exception.type", "Timeout")))
                    .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(kv("exception.type", "Refused")))),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_INTERNAL, "charge", 1, false).setTraceState("ot=th:8")
                    .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(kv("exception.type", "Timeout"))))),
            List.of(
                "traces.span.metrics.calls{service.name=checkout,span.name=charge} 3",
                "traces.span.metrics.events{service.name=checkout,span.name=charge,exception.type=Timeout} 4",
                "traces.span.metrics.events{service.name=checkout,span.name=charge,exception.type=Refused} 1")),
        Arguments.of(
            "exponential histogram",
            "connectors:\n  spanmetrics:\n    histogram: {exponential: {max_size: 4}}\n",
            List.of(
                in(CHECKOUT, span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "POST /pay", 1, false)),
                in(CHECKOUT, span(T1, "0000000000000002", "", SPAN_KIND_SERVER, "POST /pay", 2, false)),
                in(CHECKOUT, span(T1, "0000000000000003", "", SPAN_KIND_SERVER, "POST /pay", 4, false)),
                in(CHECKOUT, span(T1, "0000000000000004", "", SPAN_KIND_SERVER, "POST /pay", 8, false))),
            List.of(
                "traces.span.metrics.calls" + S + " 4",
                "traces.span.metrics.duration" + S + " count=4 sum=15.000 scale=0 offset=-1 buckets=[1, 1, 1, 1]")),
        Arguments.of(
            "spans without service.name are skipped, as the Collector skips them",
            "connectors:\n  spanmetrics:\n",
            List.of(in(resource(null), span(T1, "0000000000000001", "", SPAN_KIND_SERVER, "x", 1, false))),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void spansInSeriesOut(String name, String yaml, List<Input> spans, List<String> expected) {
    SpanMetricsConfig config =
        SpanMetricsConfig.from(PipelineConfig.parse("t", yaml, new FunctionEnvironment(Map.of()))).orElseThrow();
    SpanMetricsAggregator aggregator = SpanMetricsAggregator.create(config);
    for (Input i : spans) {
      aggregator.add(i.resource(), i.span(), AdjustedCount.of(i.span().getTraceState()));
    }
    assertEquals(expected, TestSpans.lines(aggregator.toResourceMetrics(1, 2)));
  }

  @Test
  void pointsCarryTheWindowTemporalityAndExemplarIds() {
    SpanMetricsConfig config =
        SpanMetricsConfig.parse(
            io.otelpipeline.core.config.ConfigBlock.of("s", Map.of("exemplars", Map.of("enabled", true))));
    SpanMetricsAggregator aggregator = SpanMetricsAggregator.create(config);
    Span s = span(T1, "00f067aa0ba902b7", "", SPAN_KIND_SERVER, "POST /pay", 7, false).build();
    aggregator.add(CHECKOUT, s, 1);
    List<ResourceMetrics> out = aggregator.toResourceMetrics(100, 200);
    assertEquals(2, aggregator.dataPointCount());
    assertEquals(CHECKOUT, out.get(0).getResource());
    var calls = out.get(0).getScopeMetrics(0).getMetrics(0);
    assertEquals(SpanMetricsAggregator.SCOPE_NAME, out.get(0).getScopeMetrics(0).getScope().getName());
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, calls.getSum().getAggregationTemporality());
    assertEquals(100, calls.getSum().getDataPoints(0).getStartTimeUnixNano());
    assertEquals(200, calls.getSum().getDataPoints(0).getTimeUnixNano());
    var duration = out.get(0).getScopeMetrics(0).getMetrics(1);
    assertEquals("ms", duration.getUnit());
    Exemplar e = duration.getHistogram().getDataPoints(0).getExemplars(0);
    assertEquals(s.getTraceId(), e.getTraceId());
    assertEquals(s.getSpanId(), e.getSpanId());
    assertEquals(7.0, e.getAsDouble());
    assertEquals(s.getEndTimeUnixNano(), e.getTimeUnixNano());
    assertEquals(7.0, duration.getHistogram().getDataPoints(0).getMin());
  }
}
