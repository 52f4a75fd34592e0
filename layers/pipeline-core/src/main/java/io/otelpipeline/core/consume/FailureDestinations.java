package io.otelpipeline.core.consume;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import java.nio.file.Path;

/** Builds the failure destination of a function: the failure bucket when deployed, a local folder otherwise. */
public final class FailureDestinations {
  /** The local folder when {@code FAILURE_DIR} is not set: under the JVM's temporary directory. */
  public static final String DEFAULT_FOLDER = "otel-pipeline-failures";

  private FailureDestinations() {}

  /** Deployed: the S3 bucket {@code FAILURE_BUCKET}; locally: files under the folder {@code FAILURE_DIR}. */
  public static FailureDestination create(FunctionEnvironment env) {
    if (env.deployed()) {
      return new BucketFailureDestination(new AwsClients(env).s3(), env.require("FAILURE_BUCKET"));
    }
    return new FolderFailureDestination(folder(env));
  }

  public static Path folder(FunctionEnvironment env) {
    return env.get("FAILURE_DIR")
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_FOLDER));
  }

  /** The stream's name from its ARN ({@code arn:aws:kinesis:region:account:stream/name}), or the ARN itself. */
  static String streamName(String streamArn) {
    if (streamArn == null || streamArn.isEmpty()) {
      return "unknown-stream";
    }
    int slash = streamArn.lastIndexOf('/');
    return slash >= 0 ? streamArn.substring(slash + 1) : streamArn;
  }
}
