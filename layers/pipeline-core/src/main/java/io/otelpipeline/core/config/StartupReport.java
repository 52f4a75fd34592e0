package io.otelpipeline.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The lines a function prints at start about its configuration: every declared component with
 * what the pipeline does with it ({@code uses} / {@code ignores} and why), each pipeline's route,
 * and warnings (unset variables, pipelines that export nowhere).
 */
final class StartupReport {
  /** Why the otlp_grpc exporter is not run, once, for every place that says so. */
  static final String GRPC_REASON =
      "OTLP/gRPC is not run here: grpc-java and netty would add many MB and cold-start time to every function";

  private StartupReport() {}

  static List<String> lines(PipelineConfig config) {
    List<String> out = new ArrayList<>();
    for (String name : config.unsetVariables()) {
      out.add("warning ${env:" + name + "} is not set in the environment: expanded to an empty string");
    }
    for (String kind : PipelineConfig.KINDS) {
      Map<String, String> firstOfType = new HashMap<>();
      for (String id : config.declared(kind)) {
        out.add(component(config, kind, id, firstOfType));
      }
    }
    for (String key : config.serviceKeys()) {
      out.add("ignores service." + key + ": each function reports its own telemetry (EMF) and hosts no extensions");
    }
    ServicePipelines pipelines = config.pipelines();
    if (!pipelines.declared()) {
      out.add("no service.pipelines: every declared component runs, and every otlp_http and debug exporter gets every signal");
    }
    for (ServicePipelines.Pipeline p : pipelines.pipelines()) {
      out.addAll(pipeline(p));
    }
    return out;
  }

  private static String component(PipelineConfig config, String kind, String id, Map<String, String> firstOfType) {
    String at = kind + "." + id;
    Optional<String> type = ComponentCatalog.canonicalType(kind, id);
    if (kind.equals("extensions")) {
      return "ignores " + at + ": " + ComponentCatalog.reasonIgnored(kind, ComponentCatalog.typeOf(id));
    }
    if (!config.runs(id)) {
      return "ignores " + at + ": no pipeline in service.pipelines names it, so the Collector would not run it either";
    }
    if (type.isEmpty()) {
      return "ignores " + at + ": " + ComponentCatalog.reasonIgnored(kind, ComponentCatalog.typeOf(id));
    }
    if (kind.equals("exporters")) {
      return exporter(config, id, type.get());
    }
    Optional<String> servedBy = ComponentCatalog.servedBy(kind, type.get());
    if (servedBy.isEmpty()) {
      return "ignores " + at + ": " + ComponentCatalog.reasonIgnored(kind, type.get());
    }
    String first = firstOfType.putIfAbsent(type.get(), id);
    if (first != null && !type.get().equals(ComponentCatalog.OTLP_RECEIVER)) {
      return "ignores " + at + ": one " + type.get() + " runs here, " + kind + "." + first;
    }
    return "uses    " + at + ": " + servedBy.get();
  }

  private static String exporter(PipelineConfig config, String id, String type) {
    Map<?, ?> settings = config.rawSettings("exporters", id);
    return switch (type) {
      case ComponentCatalog.OTLP_HTTP -> "uses    exporters." + id + ": OTLP/HTTP to " + httpTargets(settings);
      case ComponentCatalog.DEBUG -> "uses    exporters." + id + ": OTLP JSON lines in the debug folder (locally) or the function's log (deployed)";
      default -> "ignores exporters." + id + ": " + GRPC_REASON + "; use an otlp_http exporter with endpoint "
          + httpEndpointFor(settings) + " instead (the backend's OTLP/HTTP port)";
    };
  }

  private static String httpTargets(Map<?, ?> settings) {
    List<String> targets = new ArrayList<>();
    if (settings.get("endpoint") != null) {
      targets.add(String.valueOf(settings.get("endpoint")));
    }
    for (String signal : List.of("traces", "metrics", "logs")) {
      Object own = settings.get(signal + "_endpoint");
      if (own != null) {
        targets.add(signal + " " + own);
      }
    }
    return targets.isEmpty() ? "(no endpoint set)" : String.join(", ", targets);
  }

  /** The OTLP/HTTP endpoint that usually sits beside a gRPC one: same host, port 4318 for 4317. */
  static String httpEndpointFor(Map<?, ?> grpcSettings) {
    Object endpoint = grpcSettings.get("endpoint");
    if (endpoint == null || String.valueOf(endpoint).isBlank()) {
      return "http(s)://<host>:4318";
    }
    String e = String.valueOf(endpoint).trim();
    String scheme = "https";
    int sep = e.indexOf("://");
    if (sep >= 0) {
      scheme = e.substring(0, sep).toLowerCase(Locale.ROOT).equals("http") ? "http" : "https";
      e = e.substring(sep + 3);
    }
    if (grpcSettings.get("tls") instanceof Map<?, ?> tls && "true".equalsIgnoreCase(String.valueOf(tls.get("insecure")))) {
      scheme = "http";
    }
    if (e.endsWith(":4317")) {
      e = e.substring(0, e.length() - 4) + "4318";
    }
    return scheme + "://" + e;
  }

  private static List<String> pipeline(ServicePipelines.Pipeline p) {
    List<String> out = new ArrayList<>();
    String route = String.join(", ", p.receivers()) + " -> "
        + (p.processors().isEmpty() ? "" : String.join(", ", p.processors()) + " -> ") + String.join(", ", p.exporters());
    if (p.signal().isEmpty()) {
      out.add("ignores pipeline " + p.id() + ": only traces, metrics and logs pipelines are run");
      return out;
    }
    out.add("pipeline " + p.id() + ": " + route);
    List<String> runnable = new ArrayList<>();
    List<String> notRun = new ArrayList<>();
    List<String> connectors = new ArrayList<>();
    for (String exporter : p.exporters()) {
      Optional<String> type = ComponentCatalog.canonicalType("exporters", exporter);
      if (type.filter(t -> t.equals(ComponentCatalog.OTLP_HTTP) || t.equals(ComponentCatalog.DEBUG)).isPresent()) {
        runnable.add(exporter);
      } else if (ComponentCatalog.canonicalType("connectors", exporter).isPresent()) {
        connectors.add(exporter);
      } else {
        notRun.add(exporter);
      }
    }
    if (runnable.isEmpty() && !notRun.isEmpty()) {
      String signal = p.signal().get().name().toLowerCase(Locale.ROOT);
      out.add("warning pipeline " + p.id() + ": none of its exporters can run here (" + String.join(", ", notRun) + "): its "
          + signal + " go " + (connectors.isEmpty() ? "nowhere" : "only to " + String.join(", ", connectors)));
    }
    return out;
  }
}
