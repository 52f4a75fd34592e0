package io.otelpipeline.core.consume;

import io.otelpipeline.core.aws.AwsClients;
import io.otelpipeline.core.config.FunctionEnvironment;
import io.otelpipeline.core.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.UUID;

/** Builds the failure destination of a function: the failure bucket when deployed, a local folder otherwise. */
public final class FailureDestinations {
  /** The local folder when {@code FAILURE_DIR} is not set: under the JVM's temporary directory. */
  public static final String DEFAULT_FOLDER = "otel-pipeline-failures";
  /** Records sent to the failure destination. */
  public static final String SENT_RECORDS = "otelpipeline_failure_destination_records";

  private FailureDestinations() {}

  /** Deployed: the S3 bucket {@code FAILURE_BUCKET}; locally: files under the folder {@code FAILURE_DIR}. */
  public static FailureDestination create(FunctionEnvironment env) {
    FailureDestination destination = env.deployed()
        ? new BucketFailureDestination(new AwsClients(env).s3(), env.require("FAILURE_BUCKET"))
        : new FolderFailureDestination(folder(env));
    return counted(destination, Telemetry.forFunction("failure-destination", env));
  }

  /**
   * Counts what is sent, as {@value #SENT_RECORDS} by stream, so a dashboard or the local status
   * line shows data set aside, and logs where each one went and why. Failures are rare, so each
   * one is flushed at once.
   */
  static FailureDestination counted(FailureDestination destination, Telemetry telemetry) {
    return (record, reason) -> {
      String where = destination.send(record, reason);
      System.err.println("failure destination: kept " + record.data().length + " bytes from " + streamName(record.streamArn()) + " "
          + record.shardId() + " " + record.sequenceNumber() + " as " + where + ": " + reason);
      telemetry.count(SENT_RECORDS, 1, java.util.Map.of("stream", streamName(record.streamArn())));
      telemetry.flush();
      return where;
    };
  }

  /** A name no other send takes: the same record may fail more than once, and refused exports share an origin. */
  static String uniqueSuffix() {
    return UUID.randomUUID().toString();
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
