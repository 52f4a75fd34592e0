package io.otelpipeline.core.export;

import io.otelpipeline.core.config.ComponentCatalog;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.otlp.Signal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which exporters get each signal that one feed (the OTLP receiver's data, the scraper's, the
 * span metrics connectors') produces:
 *
 * <ul>
 *   <li>with {@code EXPORT_OTLP_ENDPOINT} set, the exporter those variables describe, for every
 *       signal, with the other settings of the config's first otlp_http exporter if it has one;
 *   <li>with {@code service.pipelines}, every runnable exporter (otlp_http, debug) of every pipeline
 *       of that signal that the feed puts data into, as the Collector fans out;
 *   <li>without, every declared otlp_http and debug exporter; with none, the debug exporter.
 * </ul>
 *
 * @param routes the exporter ids per signal, in the order the pipelines name them; a signal with
 *     none is not exported
 * @param exporters the settings of every exporter some route names, by id
 * @param notes what the start-up report says about the routing
 */
public record ExportPlan(Map<Signal, List<String>> routes, Map<String, Destination> exporters, List<String> notes) {
  public ExportPlan {
    routes = Map.copyOf(routes);
    exporters = Map.copyOf(exporters);
    notes = List.copyOf(notes);
  }

  /** An exporter this pipeline runs. */
  public sealed interface Destination permits OtlpHttp, Debug {}

  /** An OTLP/HTTP exporter with its settings. */
  public record OtlpHttp(ExportSettings settings) implements Destination {}

  /** The debug exporter: OTLP JSON lines in a local folder, or in the function's log when deployed. */
  public record Debug(String id) implements Destination {}

  public static ExportPlan of(FunctionEnvironment env, PipelineConfig config, Feed feed) {
    Map<Signal, List<String>> routes = new EnumMap<>(Signal.class);
    Map<String, Destination> exporters = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    if (env.get("EXPORT_OTLP_ENDPOINT").isPresent()) {
      List<String> configured = config.componentIds("exporters", ComponentCatalog.OTLP_HTTP);
      ExportSettings fromEnvironment =
          configured.isEmpty()
              ? ExportSettings.fromEnvironment(env)
              : config.decode("exporters", configured.get(0), ComponentCatalog.typeOf(configured.get(0)),
                  block -> ExportSettings.fromEnvironment(env, block));
      exporters.put(fromEnvironment.exporterId(), new OtlpHttp(fromEnvironment));
      for (Signal s : Signal.values()) {
        routes.put(s, List.of(fromEnvironment.exporterId()));
      }
      if (!configured.isEmpty()) {
        notes.add("EXPORT_OTLP_ENDPOINT is set: every signal goes there, with the other settings of exporters." + configured.get(0)
            + "; the configuration's exporters and pipelines do not route");
      }
      notes.addAll(fromEnvironment.notes());
      return new ExportPlan(routes, exporters, notes);
    }
    ServicePipelines pipelines = config.pipelines();
    for (Signal s : Signal.values()) {
      Set<String> ids = new LinkedHashSet<>();
      if (pipelines.declared()) {
        for (ServicePipelines.Pipeline p : pipelines.fedBy(s, feed)) {
          p.exporters().stream().filter(ExportPlan::runnable).forEach(ids::add);
        }
      } else {
        ids.addAll(config.componentIds("exporters", ComponentCatalog.OTLP_HTTP));
        ids.addAll(config.componentIds("exporters", ComponentCatalog.DEBUG));
        if (ids.isEmpty()) {
          ids.add(ComponentCatalog.DEBUG);
        }
      }
      routes.put(s, List.copyOf(ids));
      for (String id : ids) {
        exporters.computeIfAbsent(id, i -> destination(env, config, i));
      }
    }
    for (Destination d : exporters.values()) {
      if (d instanceof OtlpHttp http) {
        notes.addAll(http.settings().notes());
      }
    }
    return new ExportPlan(routes, exporters, notes);
  }

  private static boolean runnable(String exporterId) {
    return ComponentCatalog.canonicalType("exporters", exporterId)
        .filter(t -> t.equals(ComponentCatalog.OTLP_HTTP) || t.equals(ComponentCatalog.DEBUG))
        .isPresent();
  }

  private static Destination destination(FunctionEnvironment env, PipelineConfig config, String id) {
    if (ComponentCatalog.canonicalType("exporters", id).filter(ComponentCatalog.DEBUG::equals).isPresent()) {
      return new Debug(id);
    }
    return new OtlpHttp(
        config.decode("exporters", id, ComponentCatalog.typeOf(id), block -> ExportSettings.fromComponent(env, id, block)));
  }

  /** One line per signal the feed produces: where it goes, or that it goes nowhere and why. */
  public List<String> describe(Feed feed) {
    List<String> lines = new ArrayList<>();
    for (Signal s : Signal.values()) {
      if (!feed.signals().contains(s)) {
        continue;
      }
      String signal = s.name().toLowerCase(Locale.ROOT);
      List<String> ids = routes.getOrDefault(s, List.of());
      if (ids.isEmpty()) {
        lines.add(signal + " -> not exported: no " + signal + " pipeline takes them from " + feedName(feed)
            + " with an exporter this pipeline runs");
        continue;
      }
      List<String> targets = new ArrayList<>();
      for (String id : ids) {
        Destination d = exporters.get(id);
        targets.add(id + (d instanceof OtlpHttp http ? " (" + http.settings().endpoints().get(s) + ")" : " (debug output)"));
      }
      lines.add(signal + " -> " + String.join(", ", targets));
    }
    return lines;
  }

  private static String feedName(Feed feed) {
    return switch (feed) {
      case OTLP_RECEIVER -> "the otlp receiver";
      case PROMETHEUS_RECEIVER -> "the prometheus receiver";
      case SPAN_METRICS_CONNECTORS -> "the span_metrics or service_graph connector";
    };
  }
}
