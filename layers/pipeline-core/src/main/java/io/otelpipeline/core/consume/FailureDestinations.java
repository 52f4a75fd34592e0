package io.otelpipeline.core.consume;

import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.telemetry.Unit;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/** The failure destinations a runtime keeps records in, and what every one of them does beside keeping: count and log. */
public final class FailureDestinations {
  private static final Logger LOG = LoggerFactory.getLogger(FailureDestinations.class);
  /** Records sent to the failure destination, by stream. */
  public static final Counter SENT_RECORDS = Counter.builder("otelpipeline_failure_destination_records")
      .setUnit(Unit.COUNT)
      .setDescription("Records set aside in the failure destination (the failure bucket, or a local folder), by the stream they came from.")
      .setDimensions("stream")
      .build();

  private FailureDestinations() {}

  /** The S3 bucket {@code bucket}: one object per failed record, its reason in the object's metadata. */
  public static FailureDestination bucket(S3Client s3, String bucket) {
    return new BucketFailureDestination(s3, bucket);
  }

  /**
   * Counts what is sent, as {@link #SENT_RECORDS} by stream, so a dashboard or the local status
   * line shows data set aside, and logs where each one went and why. Failures are rare, so each
   * one is flushed at once.
   */
  public static FailureDestination counted(FailureDestination destination, Telemetry telemetry) {
    return (record, reason) -> {
      String where = destination.send(record, reason);
      LOG.error("failure destination: kept {} bytes from {} {} {} as {}: {}",
          record.data().length, streamName(record.streamArn()), record.shardId(), record.sequenceNumber(), where, reason);
      telemetry.count(SENT_RECORDS, 1, Map.of("stream", streamName(record.streamArn())));
      telemetry.flush();
      return where;
    };
  }

  /** A name no other send takes: the same record may fail more than once, and refused exports share an origin. */
  public static String uniqueSuffix() {
    return UUID.randomUUID().toString();
  }

  /** The stream's name from its ARN ({@code arn:aws:kinesis:region:account:stream/name}), or the ARN itself. */
  public static String streamName(String streamArn) {
    if (streamArn == null || streamArn.isEmpty()) {
      return "unknown-stream";
    }
    int slash = streamArn.lastIndexOf('/');
    return slash >= 0 ? streamArn.substring(slash + 1) : streamArn;
  }
}
