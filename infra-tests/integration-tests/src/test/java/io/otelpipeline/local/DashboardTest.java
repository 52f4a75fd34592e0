package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.scaling.ConsumerConcurrency;
import io.otelpipeline.core.scaling.ScalingRun;
import io.otelpipeline.core.scaling.ScalingSettings;
import io.otelpipeline.core.scaling.StreamCapacity;
import io.otelpipeline.core.telemetry.Measurement;
import io.otelpipeline.core.telemetry.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
  private static final String STACK = DashboardQueries.STACK;
  private static final Map<String, Set<String>> AWS_METRICS = Map.of(
      "AWS/Kinesis", Set.of("IncomingRecords", "IncomingBytes", "WriteProvisionedThroughputExceeded", "GetRecords.IteratorAgeMilliseconds"),
      "AWS/Lambda", Set.of("IteratorAge", "Errors", "Throttles", "ConcurrentExecutions", "Duration", "Invocations"));
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!]+)}");
  private static final Pattern LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*)\"");

  private static DashboardQueries queries;
  private static Set<String> emitted;

  @BeforeAll
  static void read() throws IOException {
    Path project = ProjectDirectory.find();
    queries = DashboardQueries.of(project);
    emitted = emittedMetricNames(project);
  }

  @Test
  void everyDashboardMetricIsOneThePipelineOrAwsEmits() {
    List<String> problems = new ArrayList<>();
    List<DashboardQueries.Query> widgets = queries.widgets();
    widgets.forEach(q -> check(q.namespace(), q.metric(), q.where(), problems));
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(widgets.size() > 30, "the dashboard reads " + widgets.size() + " metrics");
  }

  @Test
  void everyPipelineMetricIsReadByFunctionAndWithTheFunctionsOwnDimensions() {
    List<String> problems = new ArrayList<>();
    for (DashboardQueries.Query q : queries.all()) {
      if (q.pipelines() && !q.dimensions().containsKey("function")) {
        problems.add(q + ": every metric of the pipeline carries the function that emitted it; CloudWatch matches whole dimension sets");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void theDashboardShowsEverySignalTheOperatorScalesBy() throws IOException {
    String titles = new ObjectMapper().readTree(queries.dashboardBody()).findValuesAsText("title").toString();
    for (String shown : List.of("Intake accepted", "Intake refused", "shard limit", "write throttles", "Iterator age", "kept and dropped by policy",
        "parked traces", "Exporter sent and failed", "circuit breaker", "Scraping", "Lambda Errors", "Lambda Throttles", "Lambda ConcurrentExecutions")) {
      assertTrue(titles.contains(shown), "no widget about '" + shown + "' in " + titles);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlarmReadsAnEmittedMetricAndSaysWhatToDo() {
    List<String> problems = new ArrayList<>();
    Map<String, List<DashboardQueries.Query>> alarms = queries.alarms();
    for (Map.Entry<String, List<DashboardQueries.Query>> alarm : alarms.entrySet()) {
      Map<String, Object> p = (Map<String, Object>) ((Map<String, Object>) queries.resources().get(alarm.getKey())).get("Properties");
      String description = String.valueOf(p.get("AlarmDescription"));
      if (!description.matches("(?s).*\\b(Add|add|Raise|raise|do NOT|Do NOT|do not)\\b.*")) {
        problems.add(alarm.getKey() + ": the description does not say what to do: " + description);
      }
      alarm.getValue().forEach(q -> check(q.namespace(), q.metric(), q.where(), problems));
      if (p.containsKey("AlarmRule")) {
        String rule = String.valueOf(((Map<String, Object>) p.get("AlarmRule")).get("Fn::Sub"));
        Matcher m = PLACEHOLDER.matcher(rule);
        while (m.find()) {
          if (!queries.resources().containsKey(m.group(1))) {
            problems.add(alarm.getKey() + ": the rule names " + m.group(1) + ", which is not a resource");
          }
        }
      } else if (alarm.getValue().isEmpty()) {
        problems.add(alarm.getKey() + ": reads no metric");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals(10, alarms.size());
  }

  @Test
  void theCheckCatchesANameNobodyEmits() {
    List<String> problems = new ArrayList<>();
    check(STACK, "otelcol_receiver_accepted_spanz", "widget", problems);
    check("AWS/Kinesis", "IncomingRecordz", "widget", problems);
    check(STACK, "otelcol_receiver_accepted_spans", "widget", problems);
    assertEquals(2, problems.size(), problems.toString());
  }

  @Test
  void theDimensionCheckCatchesAKeyTooManyOrTooFew() {
    String accepted = "otelcol_receiver_accepted_spans{function=ingest,signal=traces,transport=http}";
    String exporter = "otelcol_exporter_sent_spans{exporter=otlphttp,function=trace-sampler}";
    assertEquals(List.of(), queries.unmatched(Set.of("ingest", "trace-sampler"), Set.of("traces"), Set.of(accepted, exporter)).stream()
        .filter(p -> p.contains("accepted_spans") || p.contains("exporter_sent_spans")).toList());
    List<String> problems = queries.unmatched(Set.of("ingest", "trace-sampler"), Set.of("traces"), Set.of(
        "otelcol_receiver_accepted_spans{exporter=kinesis,function=ingest,signal=traces,transport=http}",
        "otelcol_exporter_sent_spans{function=trace-sampler}"));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("Intake accepted") && p.contains("emitted only as")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("otelcol_exporter_sent_spans") && p.contains("emitted only as")), problems.toString());
  }

  /**
   * The scaling advisor cannot run locally (it reads CloudWatch), so its metrics are taken from a
   * pass over fixed histories, with the function dimension every emitter adds.
   */
  @Test
  void theScalingAdvisorsMetricsMatchTheirQueries() {
    String account = "arn:aws:kinesis:us-east-1:123456789012:stream/";
    List<String> streams = List.of("physical-TracesStream", "physical-MetricsStream", "physical-LogsStream");
    Map<String, String> env = Map.of(
        "STREAM_ARNS", String.join(",", streams.stream().map(n -> account + n).toList()),
        "CONSUMERS", "trace-sampler|fn|" + account + streams.get(0) + "|spans",
        "MIN_SHARDS", "1", "MAX_SHARDS", "4", "ALLOW_AUTO_SCALING", "false", "TELEMETRY_NAMESPACE", STACK);
    Set<String> emitted = new TreeSet<>();
    Telemetry recording = new Telemetry() {
      @Override
      public void record(Measurement measurement) {
        Map<String, String> all = new TreeMap<>(measurement.dimensions());
        all.put("function", "scaling-advisor");
        emitted.add(measurement.instrument().name() + all.toString().replace(", ", ","));
      }

      @Override
      public void flush() {}
    };
    StreamCapacity capacity = new StreamCapacity() {
      @Override
      public int openShards(String arn) {
        return 2;
      }

      @Override
      public boolean onDemand(String arn) {
        return false;
      }

      @Override
      public void resize(String arn, int shards) {}
    };
    ConsumerConcurrency concurrency = new ConsumerConcurrency() {
      @Override
      public int parallelizationFactor(String function, String arn) {
        return 1;
      }

      @Override
      public void setParallelizationFactor(String function, String arn, int factor) {}
    };
    new ScalingRun(ScalingSettings.from(new FunctionEnvironment(env)), (q, start, end, period) -> Map.of(), capacity, concurrency, recording,
        line -> {}).run(java.time.Instant.parse("2026-11-30T00:00:00Z"));
    assertEquals(List.of(), queries.unmatched(Set.of("scaling-advisor"), Set.of(), emitted));
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
