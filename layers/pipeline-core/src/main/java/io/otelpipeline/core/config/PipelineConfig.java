package io.otelpipeline.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A pipeline configuration in the OpenTelemetry Collector's own format. The pipeline uses the
 * components it implements and reports, by name and with the reason, every one it ignores.
 */
public final class PipelineConfig {
  /** The components this pipeline implements, as {@code kind/type}, and which function serves each. */
  public static final Map<String, String> IMPLEMENTED =
      Map.of(
          "receivers/otlp", "the ingest function (OTLP/HTTP)",
          "receivers/prometheus", "the target allocator and scraper functions",
          "processors/tail_sampling", "the trace-sampler function",
          "connectors/spanmetrics", "the span-metrics function",
          "connectors/servicegraph", "the span-metrics function",
          "exporters/otlphttp", "every consumer's exporter");

  private static final Pattern ENV = Pattern.compile("\\$\\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
  private static final List<String> KINDS = List.of("receivers", "processors", "connectors", "exporters", "extensions");

  private final String source;
  private final Map<String, Object> root;

  private PipelineConfig(String source, Map<String, Object> root) {
    this.source = source;
    this.root = root;
  }

  public static PipelineConfig empty() {
    return new PipelineConfig("(no PIPELINE_CONFIG)", Map.of());
  }

  /**
   * Loads the configuration named by {@code PIPELINE_CONFIG}: a local path, or whatever the
   * resolver knows how to fetch (an SSM parameter or S3 URI when deployed).
   */
  public static PipelineConfig load(FunctionEnvironment env, Function<String, String> remoteResolver) {
    Optional<String> location = env.get("PIPELINE_CONFIG");
    if (location.isEmpty()) {
      return empty();
    }
    String where = location.get();
    String text;
    if (where.startsWith("s3://") || where.startsWith("ssm:") || where.startsWith("arn:aws:ssm")) {
      text = remoteResolver.apply(where);
    } else {
      try {
        text = Files.readString(Path.of(where), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("PIPELINE_CONFIG: cannot read " + where + ": " + e.getMessage(), e);
      }
    }
    return parse(where, text, env);
  }

  /** Parses YAML text, expanding {@code ${env:VAR}} (and {@code ${env:VAR:-default}}) from the environment. */
  @SuppressWarnings("unchecked")
  public static PipelineConfig parse(String source, String yamlText, FunctionEnvironment env) {
    String expanded = expand(source, yamlText, env);
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(expanded);
    } catch (YAMLException e) {
      throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (parsed == null) {
      return new PipelineConfig(source, Map.of());
    }
    if (!(parsed instanceof Map)) {
      throw new ConfigException(source + ": the top level must be a mapping with receivers, processors, exporters...");
    }
    return new PipelineConfig(source, (Map<String, Object>) parsed);
  }

  private static String expand(String source, String text, FunctionEnvironment env) {
    Matcher m = ENV.matcher(text);
    StringBuilder out = new StringBuilder();
    int line = 1;
    int last = 0;
    while (m.find()) {
      line += countLines(text, last, m.start());
      last = m.start();
      String value = env.variables().get(m.group(1));
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        throw new ConfigException(source + " line " + line + ": ${env:" + m.group(1) + "} is not set in the environment");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int countLines(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  public String source() {
    return source;
  }

  /**
   * The settings of the first component of this kind whose id is {@code type} or
   * {@code type/name}; empty when there is none. A component declared with no settings yields an
   * empty map.
   */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> component(String kind, String type) {
    Object section = root.get(kind);
    if (!(section instanceof Map<?, ?> components)) {
      return Optional.empty();
    }
    for (Map.Entry<?, ?> e : components.entrySet()) {
      String id = String.valueOf(e.getKey());
      if (id.equals(type) || id.startsWith(type + "/")) {
        Object settings = e.getValue();
        if (settings == null) {
          return Optional.of(Map.of());
        }
        if (!(settings instanceof Map)) {
          throw new ConfigException(source + ": " + kind + "." + id + " must be a mapping");
        }
        return Optional.of((Map<String, Object>) settings);
      }
    }
    return Optional.empty();
  }

  /** Every declared component that this pipeline does not implement, with the reason, for the start-up report. */
  public List<String> ignoredComponents() {
    List<String> ignored = new ArrayList<>();
    for (String kind : KINDS) {
      Object section = root.get(kind);
      if (!(section instanceof Map<?, ?> components)) {
        continue;
      }
      for (Object key : components.keySet()) {
        String id = String.valueOf(key);
        String type = id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
        if (!IMPLEMENTED.containsKey(kind + "/" + type)) {
          ignored.add(kind + "." + id + ": " + reasonIgnored(kind, type));
        }
      }
    }
    if (root.containsKey("service")) {
      ignored.add("service: pipelines are fixed by the template (ingest -> streams -> sampler, span-metrics, forwarder)");
    }
    return ignored;
  }

  /** What each implemented component is served by, for the start-up report. */
  public Map<String, String> usedComponents() {
    Map<String, String> used = new LinkedHashMap<>();
    for (String kind : KINDS) {
      Object section = root.get(kind);
      if (section instanceof Map<?, ?> components) {
        for (Object key : components.keySet()) {
          String id = String.valueOf(key);
          String type = id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
          String servedBy = IMPLEMENTED.get(kind + "/" + type);
          if (servedBy != null) {
            used.put(kind + "." + id, servedBy);
          }
        }
      }
    }
    return used;
  }

  private static String reasonIgnored(String kind, String type) {
    return switch (kind) {
      case "extensions" -> "extensions run inside a Collector process; Lambda has none to host them";
      case "receivers" -> "only OTLP/HTTP (the ingest function) and prometheus scraping are served";
      case "exporters" -> "output goes through the otlphttp exporter (EXPORT_OTLP_ENDPOINT)";
      case "processors" ->
          switch (type) {
            case "batch" -> "records are batched by the ingest function and the stream's batching window";
            case "memory_limiter" -> "each invocation is bounded by its Lambda memory instead";
            default -> "not implemented by this pipeline";
          };
      default -> "not implemented by this pipeline";
    };
  }
}
