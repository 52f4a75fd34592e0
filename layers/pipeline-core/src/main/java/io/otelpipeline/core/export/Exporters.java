package io.otelpipeline.core.export;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.aws.SecretVariables;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.SplittableRandom;

/** Builds the exporter a function's environment and pipeline configuration ask for. */
public final class Exporters {
  /** The debug exporter's folder when {@code EXPORT_DEBUG_DIR} is not set: under the JVM's temporary directory. */
  public static final String DEFAULT_DEBUG_FOLDER = "otel-pipeline-export";

  private Exporters() {}

  /**
   * The OTLP/HTTP exporter when an endpoint is configured ({@code EXPORT_OTLP_ENDPOINT} or
   * {@code exporters: otlphttp}); otherwise the debug exporter, writing OTLP JSON lines to the
   * folder {@code EXPORT_DEBUG_DIR} locally, or to the function's log when deployed.
   */
  public static SignalExporter create(FunctionEnvironment environment, PipelineConfig config, Telemetry telemetry) {
    FunctionEnvironment env = SecretVariables.resolve(environment, SecretVariables.secretsManager(new AwsClients(environment)));
    ExportSettings settings = ExportSettings.from(env, config);
    if (!settings.endpoints().isEmpty()) {
      Optional<SigV4Signer> signer =
          settings.sigV4().map(s -> new SigV4Signer(new AwsClients(env).credentials(), s));
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
    if (env.deployed()) {
      return DebugExporter.toLog(System.out, telemetry);
    }
    Path folder = debugFolder(env);
    System.out.println("exporter: no EXPORT_OTLP_ENDPOINT or otlphttp exporter configured; writing OTLP JSON lines under " + folder);
    return DebugExporter.toFolder(folder, telemetry);
  }

  /** Where the debug exporter writes locally. */
  public static Path debugFolder(FunctionEnvironment env) {
    return env.get("EXPORT_DEBUG_DIR")
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_DEBUG_FOLDER));
  }
}
