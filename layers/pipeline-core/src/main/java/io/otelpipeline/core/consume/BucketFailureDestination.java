package io.otelpipeline.core.consume;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Failed records as S3 objects keyed {@code <stream>/<shard>/<sequence>/<unique id>}, holding the
 * raw bytes, with the reason and origin in the object's metadata.
 */
final class BucketFailureDestination implements FailureDestination {
  /** S3 allows 2 KB of user metadata in all; the reason gets most of it. */
  static final int MAX_REASON_CHARS = 1500;

  private final S3Client s3;
  private final String bucket;

  BucketFailureDestination(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  static String key(StreamRecord record) {
    return FailureDestinations.streamName(record.streamArn()) + "/" + record.shardId() + "/" + record.sequenceNumber() + "/"
        + FailureDestinations.uniqueSuffix();
  }

  @Override
  public String send(StreamRecord record, String reason) {
    String key = key(record);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("reason", ascii(reason, MAX_REASON_CHARS));
    metadata.put("stream-arn", ascii(record.streamArn(), 200));
    metadata.put("shard-id", ascii(record.shardId(), 100));
    metadata.put("sequence-number", ascii(record.sequenceNumber(), 100));
    metadata.put("partition-key", ascii(record.partitionKey(), 256));
    s3.putObject(
        PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/octet-stream").metadata(metadata).build(),
        RequestBody.fromBytes(record.data()));
    return "s3://" + bucket + "/" + key;
  }

  /** S3 metadata travels as HTTP headers: printable US-ASCII only, and bounded. */
  static String ascii(String value, int maxChars) {
    if (value == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (byte c : value.getBytes(StandardCharsets.UTF_8)) {
      if (b.length() >= maxChars) {
        break;
      }
      b.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "failure bucket s3://" + bucket;
  }
}
