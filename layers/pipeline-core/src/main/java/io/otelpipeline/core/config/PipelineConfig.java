package io.otelpipeline.core.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A pipeline configuration in the OpenTelemetry Collector's own format, from one or more files
 * merged by the Collector's rules (mappings merged key by key, anything else, lists included,
 * replaced by the later file), then with its {@code ${env:VAR}} references expanded. The pipeline
 * runs the components it implements; with {@code service.pipelines} declared, only those a pipeline
 * names, as the Collector does.
 */
public final class PipelineConfig {
  static final List<String> KINDS = List.of("receivers", "processors", "connectors", "exporters", "extensions");

  private final String source;
  private final Map<String, Object> root;
  private final Map<String, String> origins;
  private final Set<String> unsetVariables;
  private final ServicePipelines pipelines;

  private PipelineConfig(String source, Map<String, Object> root, Map<String, String> origins, Set<String> unsetVariables) {
    this.source = source;
    this.root = root;
    this.origins = Map.copyOf(origins);
    this.unsetVariables = Set.copyOf(unsetVariables);
    this.pipelines = located(() -> ServicePipelines.decode(root));
  }

  /** One file of a layered configuration: where it came from and its text. */
  public record ConfigFile(String location, String text) {}

  public static PipelineConfig empty() {
    return new PipelineConfig("(no PIPELINE_CONFIG)", Map.of(), Map.of(), Set.of());
  }

  /**
   * Loads the configuration named by {@code PIPELINE_CONFIG}: a comma-separated list of local
   * paths, or of whatever the resolver knows how to fetch ({@code ssm:/name} or {@code s3://}
   * URIs when deployed), merged in order so that later files win.
   */
  public static PipelineConfig load(FunctionEnvironment env, Function<String, String> remoteResolver) {
    Optional<String> locations = env.get("PIPELINE_CONFIG");
    if (locations.isEmpty()) {
      return empty();
    }
    List<ConfigFile> files = new ArrayList<>();
    for (String part : locations.get().split(",")) {
      String where = part.trim();
      if (where.isEmpty()) {
        continue;
      }
      if (where.startsWith("s3://") || where.startsWith("ssm:") || where.startsWith("arn:aws:ssm")) {
        files.add(new ConfigFile(where, remoteResolver.apply(where)));
      } else {
        try {
          files.add(new ConfigFile(where, Files.readString(Path.of(where), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new ConfigException("PIPELINE_CONFIG: cannot read " + where + ": " + e.getMessage(), e);
        }
      }
    }
    return parse(files, env);
  }

  /** Parses one YAML text, expanding its variables from the environment. */
  public static PipelineConfig parse(String source, String yamlText, FunctionEnvironment env) {
    return parse(List.of(new ConfigFile(source, yamlText)), env);
  }

  /** Parses and merges several YAML texts in order (later wins), then expands their variables. */
  public static PipelineConfig parse(List<ConfigFile> files, FunctionEnvironment env) {
    Map<String, Object> merged = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (ConfigFile file : files) {
      names.add(file.location());
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      Object parsed;
      Node node;
      try {
        parsed = yaml.load(file.text());
        node = yaml.compose(new StringReader(file.text()));
      } catch (YAMLException e) {
        throw new ConfigException(file.location() + ": not valid YAML: " + e.getMessage(), e);
      }
      if (parsed == null) {
        continue;
      }
      if (!(parsed instanceof Map<?, ?> map)) {
        throw new ConfigException(file.location() + ": the top level must be a mapping with receivers, processors, exporters...");
      }
      recordOrigins(node, "", file.location(), origins);
      mergeInto(merged, map);
    }
    String source = names.isEmpty() ? "(no PIPELINE_CONFIG)" : String.join(",", names);
    ConfigVariables variables = new ConfigVariables(env.variables());
    Map<String, Object> expanded = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : merged.entrySet()) {
      try {
        expanded.put(e.getKey(), variables.expand(e.getValue(), e.getKey()));
      } catch (ConfigException problem) {
        throw locate(problem, origins);
      }
    }
    return new PipelineConfig(source, expanded, origins, variables.unset());
  }

  /** The Collector's merge: mappings merged key by key, every other value replaced by the later one. */
  @SuppressWarnings("unchecked")
  private static void mergeInto(Map<String, Object> base, Map<?, ?> later) {
    for (Map.Entry<?, ?> e : later.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object before = base.get(key);
      if (before instanceof Map<?, ?> && e.getValue() instanceof Map<?, ?> laterMap) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) before);
        mergeInto(copy, laterMap);
        base.put(key, copy);
      } else if (e.getValue() instanceof Map<?, ?> laterMap) {
        Map<String, Object> copy = new LinkedHashMap<>();
        mergeInto(copy, laterMap);
        base.put(key, copy);
      } else {
        base.put(key, e.getValue());
      }
    }
  }

  /** Remembers, for every key path, the file and line that set it last. */
  private static void recordOrigins(Node node, String path, String file, Map<String, String> origins) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
          origins.put(child, file + " line " + (key.getStartMark().getLine() + 1));
          recordOrigins(tuple.getValueNode(), child, file, origins);
        }
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        String line = file + " line " + (items.get(i).getStartMark().getLine() + 1);
        origins.put(path + "[" + i + "]", line);
        recordOrigins(items.get(i), path + "[" + i + "]", file, origins);
        Optional<String> name = itemName(items.get(i));
        if (name.isPresent()) {
          // Errors name list entries by their name when they have one (policies[errors]).
          origins.put(path + "[" + name.get() + "]", line);
          recordOrigins(items.get(i), path + "[" + name.get() + "]", file, origins);
        }
      }
    }
  }

  private static Optional<String> itemName(Node item) {
    if (item instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key && (key.getValue().equals("name") || key.getValue().equals("job_name"))
            && tuple.getValueNode() instanceof ScalarNode value) {
          return Optional.of(value.getValue());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The error with the file and line of the key it names, when the message starts with a key path
   * ({@code exporters.otlp_http.timeout: ...}) that a file set.
   */
  private static ConfigException locate(ConfigException e, Map<String, String> origins) {
    String message = e.getMessage();
    int end = message.indexOf(": ");
    if (end < 0) {
      return e;
    }
    String path = message.substring(0, end);
    while (!path.isEmpty()) {
      String origin = origins.get(path);
      if (origin != null) {
        return new ConfigException(origin + ": " + message, e);
      }
      int cut = Math.max(path.lastIndexOf('.'), path.endsWith("]") ? path.lastIndexOf('[') : -1);
      path = cut < 0 ? "" : path.substring(0, cut);
    }
    return e;
  }

  private <T> T located(java.util.function.Supplier<T> decode) {
    try {
      return decode.get();
    } catch (ConfigException e) {
      throw locate(e, origins);
    }
  }

  public String source() {
    return source;
  }

  /** The variables the configuration references that are not set; each expanded to the empty string. */
  public Set<String> unsetVariables() {
    return unsetVariables;
  }

  public ServicePipelines pipelines() {
    return pipelines;
  }

  /**
   * The ids of the components of this kind and (canonical) type that run: every one declared,
   * or, when {@code service.pipelines} is declared, those a pipeline names, in declaration order.
   */
  public List<String> componentIds(String kind, String type) {
    List<String> ids = new ArrayList<>();
    for (String id : declared(kind)) {
      if (ComponentCatalog.canonicalType(kind, id).filter(type::equals).isPresent() && runs(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Decodes the settings of the first running component of this kind and type; empty when none
   * runs. An error the decoder raises for a key names the file and line that set it.
   */
  public <T> Optional<T> decode(String kind, String type, Function<ConfigBlock, T> decoder) {
    List<String> ids = componentIds(kind, type);
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(decode(kind, ids.get(0), type, decoder));
  }

  /**
   * Decodes the component {@code kind.id}; the block's path uses {@code pathType} (the canonical
   * type, so a decoder's messages read the same under every alias) and errors name the file and line.
   */
  public <T> T decode(String kind, String id, String pathType, Function<ConfigBlock, T> decoder) {
    String suffix = id.contains("/") ? id.substring(id.indexOf('/')) : "";
    String canonicalPath = kind + "." + pathType + suffix;
    ConfigBlock block = ConfigBlock.of(canonicalPath, settings(kind, id));
    try {
      return decoder.apply(block);
    } catch (ConfigException e) {
      String message = e.getMessage();
      String written = message.startsWith(canonicalPath) ? kind + "." + id + message.substring(canonicalPath.length()) : message;
      throw locate(new ConfigException(written, e), origins);
    }
  }

  private Map<?, ?> settings(String kind, String id) {
    Object section = root.get(kind);
    Object settings = section instanceof Map<?, ?> m ? m.get(id) : null;
    if (settings == null) {
      return Map.of();
    }
    if (!(settings instanceof Map<?, ?> map)) {
      throw locate(new ConfigException(kind + "." + id + ": must be a mapping"), origins);
    }
    return map;
  }

  /** The ids declared under a section, in the order written. */
  List<String> declared(String kind) {
    return root.get(kind) instanceof Map<?, ?> section ? section.keySet().stream().map(String::valueOf).toList() : List.of();
  }

  /** Whether a declared component runs: always without service.pipelines, otherwise when a pipeline names it. */
  boolean runs(String id) {
    return !pipelines.declared() || pipelines.referenced().contains(id);
  }

  /** The settings of a declared component, for descriptions in the start-up report. */
  Map<?, ?> rawSettings(String kind, String id) {
    return settings(kind, id);
  }

  /** The keys under {@code service} other than pipelines. */
  List<String> serviceKeys() {
    return root.get("service") instanceof Map<?, ?> service
        ? service.keySet().stream().map(String::valueOf).filter(k -> !k.equals("pipelines")).toList()
        : List.of();
  }

  /** The start-up report: every component with what the pipeline does with it, the pipelines and the warnings. */
  public List<String> report() {
    return StartupReport.lines(this);
  }
}
