package io.otelpipeline.core.config;

import io.otelpipeline.core.otlp.Signal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code service.pipelines} of a configuration: for each pipeline ({@code traces},
 * {@code metrics/prometheus}...) its receivers, processors and exporters, checked against the
 * declared components as the Collector checks them.
 */
public record ServicePipelines(List<Pipeline> pipelines) {
  public ServicePipelines {
    pipelines = List.copyOf(pipelines);
  }

  /** One pipeline; {@code signal} is empty for a signal this pipeline does not carry (profiles). */
  public record Pipeline(String id, Optional<Signal> signal, List<String> receivers, List<String> processors, List<String> exporters) {
    public Pipeline {
      receivers = List.copyOf(receivers);
      processors = List.copyOf(processors);
      exporters = List.copyOf(exporters);
    }

    boolean receivesFrom(Feed feed) {
      return receivers.stream().anyMatch(feed::matches);
    }
  }

  /** Where data enters the Collector's pipelines, as the functions of this pipeline produce it. */
  public enum Feed {
    /** What the ingest function accepted: traces through the trace-sampler, metrics and logs through the forwarder. */
    OTLP_RECEIVER(Set.of(Signal.values()), "receivers", ComponentCatalog.OTLP_RECEIVER),
    /** What the scraper collects. */
    PROMETHEUS_RECEIVER(Set.of(Signal.METRICS), "receivers", ComponentCatalog.PROMETHEUS_RECEIVER),
    /** What the span-metrics function computes: the spanmetrics and servicegraph connectors' output. */
    SPAN_METRICS_CONNECTORS(Set.of(Signal.METRICS), "connectors", ComponentCatalog.SPAN_METRICS, ComponentCatalog.SERVICE_GRAPH);

    private final Set<Signal> signals;
    private final String kind;
    private final Set<String> types;

    Feed(Set<Signal> signals, String kind, String... types) {
      this.signals = signals;
      this.kind = kind;
      this.types = Set.of(types);
    }

    /** The signals this feed produces. */
    public Set<Signal> signals() {
      return signals;
    }

    boolean matches(String componentId) {
      return ComponentCatalog.canonicalType(kind, componentId).filter(types::contains).isPresent();
    }
  }

  static ServicePipelines decode(Map<?, ?> root) {
    ConfigBlock service = ConfigBlock.of("service", root.get("service") instanceof Map<?, ?> m ? m : Map.of());
    if (root.get("service") != null && !(root.get("service") instanceof Map)) {
      throw new ConfigException("service: must be a mapping");
    }
    ConfigBlock pipelinesBlock = service.block("pipelines");
    List<Pipeline> out = new ArrayList<>();
    for (String id : pipelinesBlock.keys()) {
      ConfigBlock p = pipelinesBlock.block(id);
      p.onlyKeys(Set.of("receivers", "processors", "exporters"));
      List<String> receivers = p.strings("receivers", List.of());
      List<String> processors = p.strings("processors", List.of());
      List<String> exporters = p.strings("exporters", List.of());
      check(root, p, "receivers", receivers, Set.of("receivers", "connectors"));
      check(root, p, "processors", processors, Set.of("processors"));
      check(root, p, "exporters", exporters, Set.of("exporters", "connectors"));
      out.add(new Pipeline(id, signal(ComponentCatalog.typeOf(id)), receivers, processors, exporters));
    }
    return new ServicePipelines(out);
  }

  private static Optional<Signal> signal(String type) {
    for (Signal s : Signal.values()) {
      if (s.name().toLowerCase(Locale.ROOT).equals(type)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static void check(Map<?, ?> root, ConfigBlock pipeline, String key, List<String> ids, Set<String> kinds) {
    for (String id : ids) {
      boolean declared = kinds.stream().anyMatch(kind -> root.get(kind) instanceof Map<?, ?> section && section.containsKey(id));
      if (!declared) {
        throw pipeline.error(key, "'" + id + "' is not declared under " + String.join(" or ", new java.util.TreeSet<>(kinds)));
      }
    }
  }

  public boolean declared() {
    return !pipelines.isEmpty();
  }

  /** Every component id some pipeline names. */
  public Set<String> referenced() {
    Set<String> ids = new LinkedHashSet<>();
    for (Pipeline p : pipelines) {
      ids.addAll(p.receivers());
      ids.addAll(p.processors());
      ids.addAll(p.exporters());
    }
    return ids;
  }

  /** The pipelines of {@code signal} that {@code feed} puts data into. */
  public List<Pipeline> fedBy(Signal signal, Feed feed) {
    return pipelines.stream().filter(p -> p.signal().equals(Optional.of(signal)) && p.receivesFrom(feed)).toList();
  }
}
