package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.otlp.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and alarms in template.yaml read only metrics that exist: the pipeline's own
 * names as the code emits them, and the AWS metrics they name. A renamed metric or resource fails here
 * instead of leaving an empty graph or an alarm that never fires.
 */
class DashboardTest {
  private static final String STACK = "stack";
  private static final Map<String, Set<String>> AWS_METRICS = Map.of(
      "AWS/Kinesis", Set.of("IncomingRecords", "IncomingBytes", "WriteProvisionedThroughputExceeded", "GetRecords.IteratorAgeMilliseconds"),
      "AWS/Lambda", Set.of("IteratorAge", "Errors", "Throttles", "ConcurrentExecutions", "Duration", "Invocations"));
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!]+)}");
  private static final Pattern SEARCHED = Pattern.compile("SEARCH\\('\\{([^,}]+)[^}]*} MetricName=\"([^\"]+)\"");
  private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*)\"");

  private static Map<String, Object> template;
  private static Map<String, Object> resources;
  private static Set<String> emitted;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    Path project = ProjectDirectory.find();
    template = CfnYaml.parse("template.yaml", Files.readString(project.resolve(ProjectDirectory.TEMPLATE), StandardCharsets.UTF_8));
    resources = (Map<String, Object>) template.get("Resources");
    emitted = emittedMetricNames(project);
  }

  @Test
  void everyDashboardMetricIsOneThePipelineOrAwsEmits() throws IOException {
    JsonNode body = new ObjectMapper().readTree(dashboardBody());
    List<String> problems = new ArrayList<>();
    int metrics = 0;
    for (JsonNode widget : body.get("widgets")) {
      String title = widget.at("/properties/title").asText();
      for (JsonNode line : widget.at("/properties/metrics")) {
        if (line.get(0).isObject()) {
          String expression = line.get(0).path("expression").asText();
          Matcher m = SEARCHED.matcher(expression);
          while (m.find()) {
            metrics++;
            check(m.group(1), m.group(2), title, problems);
          }
        } else {
          metrics++;
          check(line.get(0).asText(), line.get(1).asText(), title, problems);
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(metrics > 30, "the dashboard reads " + metrics + " metrics");
  }

  @Test
  void theDashboardShowsEverySignalTheOperatorScalesBy() throws IOException {
    String titles = new ObjectMapper().readTree(dashboardBody()).findValuesAsText("title").toString();
    for (String shown : List.of("Intake accepted", "Intake refused", "shard limit", "write throttles", "Iterator age", "kept and dropped by policy",
        "parked traces", "Exporter sent and failed", "circuit breaker", "Scraping", "Lambda Errors", "Lambda Throttles", "Lambda ConcurrentExecutions")) {
      assertTrue(titles.contains(shown), "no widget about '" + shown + "' in " + titles);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlarmReadsAnEmittedMetricAndSaysWhatToDo() {
    List<String> problems = new ArrayList<>();
    int alarms = 0;
    for (Map.Entry<String, Object> e : resources.entrySet()) {
      Map<String, Object> resource = (Map<String, Object>) e.getValue();
      String type = String.valueOf(resource.get("Type"));
      if (!type.startsWith("AWS::CloudWatch::") || type.endsWith("Dashboard")) {
        continue;
      }
      alarms++;
      Map<String, Object> p = (Map<String, Object>) resource.get("Properties");
      String description = String.valueOf(p.get("AlarmDescription"));
      if (!description.matches("(?s).*\\b(Add|add|Raise|raise|do NOT|Do NOT|do not)\\b.*")) {
        problems.add(e.getKey() + ": the description does not say what to do: " + description);
      }
      List<Map<String, Object>> stats = new ArrayList<>();
      if (p.containsKey("MetricName")) {
        stats.add(p);
      }
      for (Map<String, Object> q : (List<Map<String, Object>>) p.getOrDefault("Metrics", List.of())) {
        if (q.containsKey("MetricStat")) {
          stats.add((Map<String, Object>) ((Map<String, Object>) q.get("MetricStat")).get("Metric"));
        }
      }
      for (Map<String, Object> s : stats) {
        Object ns = s.get("Namespace");
        String namespace = ns instanceof Map<?, ?> ref && "AWS::StackName".equals(ref.get("Ref")) ? STACK : String.valueOf(ns);
        check(namespace, String.valueOf(s.get("MetricName")), e.getKey(), problems);
      }
      if (type.equals("AWS::CloudWatch::CompositeAlarm")) {
        String rule = String.valueOf(((Map<String, Object>) p.get("AlarmRule")).get("Fn::Sub"));
        Matcher m = PLACEHOLDER.matcher(rule);
        while (m.find()) {
          if (!resources.containsKey(m.group(1))) {
            problems.add(e.getKey() + ": the rule names " + m.group(1) + ", which is not a resource");
          }
        }
      } else if (stats.isEmpty()) {
        problems.add(e.getKey() + ": reads no metric");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals(10, alarms);
  }

  @Test
  void theCheckCatchesANameNobodyEmits() {
    List<String> problems = new ArrayList<>();
    check(STACK, "otelcol_receiver_accepted_spanz", "widget", problems);
    check("AWS/Kinesis", "IncomingRecordz", "widget", problems);
    check(STACK, "otelcol_receiver_accepted_spans", "widget", problems);
    assertEquals(2, problems.size(), problems.toString());
  }

  /** The body with every placeholder resolved; placeholders must name a parameter, a resource or a pseudo parameter. */
  @SuppressWarnings("unchecked")
  private static String dashboardBody() {
    Map<String, Object> dashboard = (Map<String, Object>) resources.get("PipelineDashboard");
    Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) dashboard.get("Properties")).get("DashboardBody");
    String text = String.valueOf(body.get("Fn::Sub"));
    Map<String, Object> parameters = (Map<String, Object>) template.get("Parameters");
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.equals("AWS::StackName")) {
        value = STACK;
      } else if (name.equals("AWS::Region")) {
        value = "us-east-1";
      } else if (parameters.containsKey(name)) {
        value = "2";
      } else if (resources.containsKey(name)) {
        value = "physical-" + name;
      } else {
        throw new AssertionError("the dashboard names ${" + name + "}, which is no parameter, resource or pseudo parameter");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    assertFalse(out.isEmpty());
    return out.toString();
  }

  private static void check(String namespace, String metric, String where, List<String> problems) {
    boolean known = namespace.equals(STACK) ? emitted.contains(metric) : AWS_METRICS.getOrDefault(namespace, Set.of()).contains(metric);
    if (!known) {
      problems.add(where + ": " + namespace + " " + metric + " is not emitted"
          + (namespace.equals(STACK) ? " by any function (no such name in the code)" : " by that AWS service"));
    }
  }

  /** Every metric-like string literal in the functions' and the library's code, with the per-signal names built from prefixes. */
  private static Set<String> emittedMetricNames(Path project) throws IOException {
    Set<String> names = new TreeSet<>();
    List<Path> roots = new ArrayList<>(List.of(project.resolve("layers/pipeline-core/src/main/java")));
    try (Stream<Path> functions = Files.list(project.resolve("functions"))) {
      functions.map(f -> f.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
    }
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
          try {
            Matcher m = LITERAL.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
              names.add(m.group(1));
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    }
    Set<String> built = new TreeSet<>();
    for (String name : names) {
      if (name.endsWith("_")) {
        for (Signal s : Signal.values()) {
          built.add(name + s.itemName());
        }
      }
    }
    names.addAll(built);
    return names;
  }
}
