package io.otelpipeline.core.export;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.retry.Sleeper;
import io.otelpipeline.core.aws.SecretVariables;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the exporters a function's environment and pipeline configuration route its output to. */
public final class Exporters {
  private static final Logger LOG = LoggerFactory.getLogger(Exporters.class);

  private Exporters() {}

  /**
   * The exporter for what {@code feed} produces, following the {@link ExportPlan}: one exporter
   * when every signal goes to the same one, otherwise a fan-out over them. The start-up report
   * (components, pipelines, routes, warnings) goes to the function's log first.
   */
  public static SignalExporter create(
      FunctionEnvironment environment, AwsClients aws, PipelineConfig config, Telemetry telemetry, Feed feed, DebugOutput debug) {
    FunctionEnvironment env = SecretVariables.resolve(environment, SecretVariables.secretsManager(aws));
    ExportPlan plan = ExportPlan.of(env, config, feed);
    config.report().forEach(line -> LOG.info("config: {}", line));
    plan.notes().forEach(line -> LOG.info("config: {}", line));
    plan.describe(feed).forEach(line -> LOG.info("config: {}", line));
    Map<String, SignalExporter> byId = new LinkedHashMap<>();
    plan.exporters().forEach((id, destination) -> byId.put(id, exporter(aws, destination, telemetry, debug)));
    Map<Signal, List<SignalExporter>> routes = new EnumMap<>(Signal.class);
    plan.routes().forEach((signal, ids) -> routes.put(signal, ids.stream().map(byId::get).toList()));
    List<SignalExporter> distinct = new ArrayList<>(byId.values());
    boolean oneForAll = distinct.size() == 1 && routes.values().stream().allMatch(r -> r.size() == 1) && routes.size() == Signal.values().length;
    return oneForAll ? distinct.get(0) : new FanOutExporter(routes, distinct, telemetry);
  }

  private static SignalExporter exporter(AwsClients aws, ExportPlan.Destination destination, Telemetry telemetry, DebugOutput debug) {
    if (destination instanceof ExportPlan.OtlpHttp http) {
      ExportSettings settings = http.settings();
      Optional<SigV4Signer> signer = settings.sigV4().map(s -> new SigV4Signer(aws.credentials(), s));
      return new OtlpHttpExporter(
          settings,
          OtlpHttpExporter.httpClient(settings),
          new CircuitBreaker(settings.breakerFailures(), settings.breakerCooldown(), Clock.systemUTC()),
          signer,
          telemetry,
          Clock.systemUTC(),
          Sleeper.system(),
          new SplittableRandom());
    }
    return new DebugExporter(debug, telemetry);
  }
}
