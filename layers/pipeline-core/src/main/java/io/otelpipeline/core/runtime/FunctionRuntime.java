package io.otelpipeline.core.runtime;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.aws.RemoteConfigSource;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.config.PipelineConfig;
import io.otelpipeline.core.config.ServicePipelines.Feed;
import io.otelpipeline.core.consume.FailureDestination;
import io.otelpipeline.core.consume.FailureDestinations;
import io.otelpipeline.core.export.DebugOutput;
import io.otelpipeline.core.export.Exporters;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.telemetry.Telemetry;
import java.util.ServiceLoader;

/**
 * What a function takes from the place it runs in: its environment, its AWS clients, where its
 * own telemetry goes, where records that can never be delivered are kept, and where the
 * {@code debug} exporter writes. In Lambda that is {@link LambdaRuntime}; another runtime (the
 * local stack) supplies its own implementation as a {@link ServiceLoader} provider, and every
 * function's composition takes what it needs from here, so no code path differs by where it runs.
 */
public interface FunctionRuntime {
  /** The function's environment variables. */
  FunctionEnvironment environment();

  /** AWS SDK clients for this environment, each built once. */
  AwsClients aws();

  /** The function's own telemetry, under {@code functionName}. */
  Telemetry telemetry(String functionName);

  /** Where records are kept that can never be delivered, as they are, before counting and logging. */
  FailureDestination failureStore();

  /** Where the {@code debug} exporter writes its OTLP/JSON lines. */
  DebugOutput debugOutput();

  /** {@link #failureStore()}, counted in the function's telemetry and logged, each record with its reason. */
  default FailureDestination failureDestination() {
    return FailureDestinations.counted(failureStore(), telemetry("failure-destination"));
  }

  /** The pipeline configuration ({@code PIPELINE_CONFIG}: inline, a file, S3 or SSM), read and checked once. */
  default PipelineConfig pipelineConfig() {
    return PipelineConfig.load(environment(), new RemoteConfigSource(aws()));
  }

  /** The exporters {@code config} routes what {@code feed} produces to, with this runtime's debug output and clients. */
  default SignalExporter exporter(PipelineConfig config, Telemetry telemetry, Feed feed) {
    return Exporters.create(environment(), aws(), config, telemetry, feed, debugOutput());
  }

  /** The runtime of this process: the provider on the class path, else Lambda's. */
  static FunctionRuntime current() {
    return ServiceLoader.load(FunctionRuntime.class).findFirst().orElseGet(LambdaRuntime::process);
  }
}
