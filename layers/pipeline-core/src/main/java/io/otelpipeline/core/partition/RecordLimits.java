package io.otelpipeline.core.partition;

/** Kinesis record limits that packing designs against. */
public final class RecordLimits {
  /** Kinesis's default maximum record size (data plus partition key) is 1 MiB. */
  public static final int MAX_RECORD_BYTES = 1024 * 1024;
  /** Room left for the partition key (at most 256 bytes) and the envelope header. */
  public static final int MAX_PAYLOAD_BYTES = MAX_RECORD_BYTES - 512;
  /** Uncompressed requests above this are split before compressing: no corpus compresses 8:1 reliably. */
  public static final int MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024;

  private RecordLimits() {}
}
