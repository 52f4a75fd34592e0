package io.otelpipeline.core.scrape.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.scrape.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExpositionParserTest {
  static byte[] fixture(String name) {
    return Fixtures.exposition(name);
  }

  static long sampleLines(byte[] body) {
    return new String(body).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }

  static MetricFamily family(Exposition e, String name) {
    return e.families().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no family " + name));
  }

  @Test
  void readsEveryLineOfARealNodeExporterExposition() {
    byte[] body = fixture("node-exporter.prom");
    Exposition e = ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
    assertEquals(sampleLines(body), e.sampleCount());
    MetricFamily gc = family(e, "go_gc_duration_seconds");
    assertEquals(MetricType.SUMMARY, gc.type());
    assertEquals("A summary of the pause duration of garbage collection cycles.", gc.help());
    assertEquals(7, gc.samples().size());
    assertEquals(MetricType.COUNTER, family(e, "node_cpu_seconds_total").type());
    assertTrue(family(e, "node_cpu_seconds_total").samples().stream().allMatch(s -> s.label("cpu") != null && s.label("mode") != null));
    long declaredUntyped = new String(body).lines().filter(l -> l.startsWith("# TYPE ") && l.endsWith(" untyped")).count();
    assertEquals(declaredUntyped, e.families().stream().filter(f -> f.type() == MetricType.UNKNOWN).count());
    assertEquals(new String(body).lines().filter(l -> l.startsWith("# TYPE ")).count(), e.families().size());
  }

  @Test
  void readsEveryLineOfARealPrometheusServerExposition() {
    byte[] body = fixture("prometheus.prom");
    Exposition e = ExpositionParser.parse(body, ExpositionFormat.PROMETHEUS_TEXT);
    assertEquals(sampleLines(body), e.sampleCount());
    MetricFamily h = family(e, "prometheus_http_request_duration_seconds");
    assertEquals(MetricType.HISTOGRAM, h.type());
    Map<String, Long> bySuffix =
        h.samples().stream().collect(Collectors.groupingBy(s -> s.name().substring(h.name().length()), Collectors.counting()));
    assertEquals(bySuffix.get("_count"), bySuffix.get("_sum"));
    assertTrue(bySuffix.get("_bucket") > bySuffix.get("_count"));
  }

  @Test
  void readsEveryOpenMetricsType() {
    Exposition e = ExpositionParser.parse(fixture("openmetrics-all-types.txt"), ExpositionFormat.OPENMETRICS);
    assertEquals(
        List.of("acme_http_requests", "acme_temperature_celsius", "acme_request_seconds", "acme_queue_depth", "acme_rpc_seconds", "acme_build", "acme_feature", "acme_mystery"),
        e.families().stream().map(MetricFamily::name).toList());
    assertEquals(
        List.of(MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM, MetricType.GAUGEHISTOGRAM, MetricType.SUMMARY, MetricType.INFO, MetricType.STATESET, MetricType.UNKNOWN),
        e.families().stream().map(MetricFamily::type).toList());

    MetricFamily requests = e.families().get(0);
    assertEquals("requests", requests.unit());
    assertEquals("Requests served, by \"code\".", requests.help());
    Sample first = requests.samples().get(0);
    assertEquals("/a\\b", first.label("path"));
    assertEquals(OptionalLong.of(1_700_000_000_250L), first.timestampMillis());
    assertEquals("acme_http_requests_created", requests.samples().get(1).name());
    Exemplar ex = requests.samples().get(2).exemplar().orElseThrow();
    assertEquals(List.of(new Label("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736")), ex.labels());
    assertEquals(1.0, ex.value());
    assertEquals(OptionalLong.of(1_700_000_000_100_000_000L), ex.timestampNanos());

    assertEquals("lab\nwest", e.families().get(1).samples().get(0).label("room"));
    assertEquals(-12.5, e.families().get(1).samples().get(0).value());
    assertTrue(e.families().get(2).samples().get(0).exemplar().isPresent());
    assertTrue(Double.isNaN(e.families().get(4).samples().get(1).value()));
    assertEquals(Double.POSITIVE_INFINITY, e.families().get(7).samples().get(0).value());
  }

  @Test
  void readsTheClassicFormatsLeniencies() {
    Exposition e = ExpositionParser.parse(fixture("prometheus-edge-cases.prom"), ExpositionFormat.PROMETHEUS_TEXT);
    MetricFamily rpc = family(e, "rpc_total");
    assertEquals("RPCs with \\ backslash and \n newline.", rpc.help());
    assertEquals(2, rpc.samples().size());
    assertEquals("say \"hi\"", rpc.samples().get(0).label("msg"));
    assertEquals(OptionalLong.of(1_700_000_000_123L), rpc.samples().get(0).timestampMillis());
    assertEquals(7.0, rpc.samples().get(1).value());
    assertEquals(MetricType.UNKNOWN, family(e, "no_metadata_metric").type());
    assertEquals(Double.NEGATIVE_INFINITY, family(e, "negative_gauge").samples().get(0).value());
    assertEquals(1.5e6, family(e, "exp_value").samples().get(0).value());
    assertEquals(4, family(e, "lat").samples().size());
    assertEquals(1.0, family(e, "windows_line_ending").samples().get(0).value());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "m{a=\"b} 1|1|label a of sample m is not closed",
        "m{a=b} 1|1|value of label a of sample m must be in double quotes",
        "m{1a=\"b\"} 1|1|invalid label name",
        "m{a=\"b\",a=\"c\"} 1|1|label a repeated in sample m",
        "m{a=\"\\q\"} 1|1|invalid escape '\\q' in the value of label a of sample m",
        "m 1x|1|value of m '1x' is not a number",
        "m 0x10|1|value of m '0x10' is not a number",
        "m Infinity|1|value of m 'Infinity' is not a number",
        "m|1|missing a value after m",
        "m 1 12.5|1|timestamp '12.5' of m is not an integer of milliseconds",
        "m 1 2 3|1|unexpected text '3' after the value of m",
        "9m 1|1|invalid metric name at '9m 1'",
        "ok 1\\n# TYPE m summary\\nm 1|3|summary sample m has no 'quantile' label",
        "# TYPE m histogram\\nm_bucket 1|2|histogram bucket m_bucket has no 'le' label",
        "# TYPE m gauge\\n# TYPE m counter|2|second TYPE line for metric family m",
        "m 1\\n# TYPE m gauge|2|TYPE line for m after its samples",
        "# TYPE m thing|1|unknown metric type 'thing' for m",
        "m 1 # {a=\"b\"} 1|1|exemplars need OpenMetrics",
      })
  void classicFormatErrorsNameTheLineAndProblem(String text, int line, String problem) {
    ExpositionException e = assertThrows(ExpositionException.class, () -> ExpositionParser.parse(text.replace("\\n", "\n"), ExpositionFormat.PROMETHEUS_TEXT));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "m 1|1|does not end with # EOF",
        "m 1\\n# EOF\\nm 2|3|content after # EOF",
        "m 1\\n\\n# EOF|2|empty line",
        "# free comment\\n# EOF|1|unknown comment '# free'",
        "# TYPE a counter\\na_total 1\\n# TYPE b gauge\\nb 1\\na_total 2\\n# EOF|5|after other families",
        "# TYPE a counter\\na 1\\n# EOF|2|does not fit the counter family a",
        "# TYPE a gaugehistogram\\na_bucket{le=\"1\"} 1\\n# EOF|3|",
        "# TYPE a stateset\\na{b=\"x\"} 1\\n# EOF|2|stateset sample a has no 'a' label",
        "# TYPE a_seconds gauge\\n# UNIT a_seconds bytes\\n# EOF|2|unit 'bytes' is not a suffix",
        "m{a=\"b\",} 1\\n# EOF|1|trailing ','",
        "m 1 # {a=\"b\"}\\n# EOF|1|missing a value in the exemplar of m",
        "m 1 # {trace_id=\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\"} 1\\n# EOF|1|more than the 128 allowed",
        "# TYPE m info\\n# EOF\\n|2|",
        "# TYPE m typo\\n# EOF|1|unknown metric type 'typo' for m",
      })
  void openMetricsErrorsNameTheLineAndProblem(String text, int line, String problem) {
    String body = text.replace("\\n", "\n");
    if (problem == null) {
      Exposition parsed = ExpositionParser.parse(body, ExpositionFormat.OPENMETRICS);
      assertTrue(parsed.families().size() == 1, "valid input parses into one family");
      return;
    }
    ExpositionException e = assertThrows(ExpositionException.class, () -> ExpositionParser.parse(body, ExpositionFormat.OPENMETRICS));
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void formatComesFromTheContentType() {
    assertEquals(ExpositionFormat.OPENMETRICS, ExpositionFormat.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ExpositionFormat.fromContentType("text/plain; version=0.0.4"));
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ExpositionFormat.fromContentType(null));
  }
}
