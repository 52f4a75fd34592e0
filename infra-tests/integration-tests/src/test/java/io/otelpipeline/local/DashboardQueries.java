package io.otelpipeline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otelpipeline.core.otlp.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every metric the dashboard and the alarms of template.yaml read, with the whole dimension set
 * CloudWatch will match it by: a metric line names its dimensions and their values; a
 * {@code SEARCH} names its schema, the exact set of dimension keys (values open). CloudWatch
 * matches a metric only when its dimension set is exactly that, so a query and the code that
 * emits must agree on every key.
 */
final class DashboardQueries {
  /** The value the stack's name resolves to, in the namespace of the pipeline's own metrics. */
  static final String STACK = "stack";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!]+)}");
  private static final Pattern SEARCHED = Pattern.compile("SEARCH\\('\\{([^}]*)} MetricName=\"([^\"]+)\"");

  /** One metric as read: where (widget title or alarm), namespace, name, and dimensions (value null: any value). */
  record Query(String where, String namespace, String metric, Map<String, String> dimensions) {
    boolean pipelines() {
      return namespace.equals(STACK);
    }

    /** True when a metric emitted with these dimensions is the one this query reads. */
    boolean matches(String emittedMetric, Map<String, String> emitted) {
      if (!emittedMetric.equals(metric) || !emitted.keySet().equals(dimensions.keySet())) {
        return false;
      }
      return dimensions.entrySet().stream().allMatch(d -> d.getValue() == null || d.getValue().equals(emitted.get(d.getKey())));
    }

    @Override
    public String toString() {
      return where + ": " + namespace + " " + metric + " " + dimensions;
    }
  }

  private final Map<String, Object> template;
  private final Map<String, Object> resources;

  @SuppressWarnings("unchecked")
  private DashboardQueries(Map<String, Object> template) {
    this.template = template;
    this.resources = (Map<String, Object>) template.get("Resources");
  }

  static DashboardQueries of(Path project) {
    try {
      return new DashboardQueries(
          CfnYaml.parse("template.yaml", Files.readString(project.resolve(ProjectDirectory.TEMPLATE), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Map<String, Object> template() {
    return template;
  }

  Map<String, Object> resources() {
    return resources;
  }

  /** The dashboard's widgets' metrics. */
  List<Query> widgets() {
    List<Query> out = new ArrayList<>();
    JsonNode body;
    try {
      body = new ObjectMapper().readTree(dashboardBody());
    } catch (IOException e) {
      throw new UncheckedIOException("the dashboard body is not JSON", e);
    }
    for (JsonNode widget : body.get("widgets")) {
      String title = widget.at("/properties/title").asText();
      for (JsonNode line : widget.at("/properties/metrics")) {
        if (line.get(0).isObject()) {
          Matcher m = SEARCHED.matcher(line.get(0).path("expression").asText());
          while (m.find()) {
            String[] schema = m.group(1).split(",");
            Map<String, String> dims = new TreeMap<>();
            for (int i = 1; i < schema.length; i++) {
              dims.put(schema[i].trim(), null);
            }
            out.add(new Query(title, schema[0].trim(), m.group(2), dims));
          }
        } else {
          Map<String, String> dims = new TreeMap<>();
          int i = 2;
          while (i + 1 < line.size() && line.get(i).isTextual()) {
            dims.put(line.get(i).asText(), line.get(i + 1).asText());
            i += 2;
          }
          out.add(new Query(title, line.get(0).asText(), line.get(1).asText(), dims));
        }
      }
    }
    return out;
  }

  /** The alarms' metrics, by alarm. */
  @SuppressWarnings("unchecked")
  Map<String, List<Query>> alarms() {
    Map<String, List<Query>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : resources.entrySet()) {
      Map<String, Object> resource = (Map<String, Object>) e.getValue();
      String type = String.valueOf(resource.get("Type"));
      if (!type.equals("AWS::CloudWatch::Alarm") && !type.equals("AWS::CloudWatch::CompositeAlarm")) {
        continue;
      }
      Map<String, Object> p = (Map<String, Object>) resource.get("Properties");
      List<Map<String, Object>> stats = new ArrayList<>();
      if (p.containsKey("MetricName")) {
        stats.add(p);
      }
      for (Map<String, Object> q : (List<Map<String, Object>>) p.getOrDefault("Metrics", List.of())) {
        if (q.containsKey("MetricStat")) {
          stats.add((Map<String, Object>) ((Map<String, Object>) q.get("MetricStat")).get("Metric"));
        }
      }
      List<Query> queries = new ArrayList<>();
      for (Map<String, Object> s : stats) {
        Object ns = s.get("Namespace");
        String namespace = ns instanceof Map<?, ?> ref && "AWS::StackName".equals(ref.get("Ref")) ? STACK : String.valueOf(ns);
        Map<String, String> dims = new TreeMap<>();
        for (Map<String, Object> d : (List<Map<String, Object>>) s.getOrDefault("Dimensions", List.of())) {
          Object value = d.get("Value");
          dims.put(String.valueOf(d.get("Name")), value instanceof String literal ? literal : null);
        }
        queries.add(new Query(e.getKey(), namespace, String.valueOf(s.get("MetricName")), dims));
      }
      out.put(e.getKey(), queries);
    }
    return out;
  }

  /** Widgets and alarms together. */
  List<Query> all() {
    List<Query> all = new ArrayList<>(widgets());
    alarms().values().forEach(all::addAll);
    return all;
  }

  /**
   * The pipeline's own queries about the given functions and signals that no emitted metric
   * matches. A query names its function by a {@code function} dimension with a value; a
   * {@code SEARCH} (function open) is checked against the metrics of the given functions. {@code emitted} holds what the
   * functions emitted, keyed {@code name{k=v,...}} as the local stack's telemetry totals are.
   */
  List<String> unmatched(Set<String> functions, Set<String> signals, Set<String> emitted) {
    List<String> problems = new ArrayList<>();
    for (Query q : all()) {
      if (!q.pipelines() || !q.dimensions().containsKey("function")) {
        continue;
      }
      String signal = q.dimensions().getOrDefault("signal", signalOf(q.metric()));
      if (signal != null && !signals.contains(signal)) {
        continue;
      }
      String function = q.dimensions().get("function");
      if (function != null && !functions.contains(function)) {
        continue;
      }
      boolean seen = false;
      boolean matched = false;
      for (String key : emitted) {
        String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
        Map<String, String> dims = dimensions(key);
        if (!name.equals(q.metric()) || !functions.contains(dims.get("function"))) {
          continue;
        }
        seen = true;
        matched |= q.matches(name, dims);
      }
      if (function != null && !seen) {
        problems.add(q + ": the function emitted no " + q.metric() + " at all");
      } else if (seen && !matched) {
        problems.add(q + ": emitted only as " + emitted.stream().filter(k -> k.startsWith(q.metric() + "{")).toList());
      }
    }
    return problems;
  }

  /** The signal a metric counts items of, by the Collector's suffixes; null for others. */
  private static String signalOf(String metric) {
    for (Signal s : Signal.values()) {
      if (metric.endsWith("_" + s.itemName())) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }

  private static Map<String, String> dimensions(String key) {
    Map<String, String> dims = new TreeMap<>();
    int open = key.indexOf('{');
    if (open < 0) {
      return dims;
    }
    for (String pair : key.substring(open + 1, key.length() - 1).split(",")) {
      int eq = pair.indexOf('=');
      dims.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return dims;
  }

  /** The body with every placeholder resolved; placeholders must name a parameter, a resource or a pseudo parameter. */
  @SuppressWarnings("unchecked")
  String dashboardBody() {
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
    return out.toString();
  }
}
