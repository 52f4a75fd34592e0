package io.otelpipeline.core.sampling.state;

import java.time.Instant;

/**
 * Spans of one undecided trace, parked until the trace is due in the time of the shard they were
 * read from.
 *
 * @param chunkId unique within the trace and derived from where the spans came from (shard and
 *     sequence number), so parking the same records again on a retry overwrites rather than adds
 * @param shardId the shard whose consumer (or, after a reshard, whose children's) finds it due
 * @param dueAt when the trace is due, in arrival time of that shard
 * @param otlpRequest an ExportTraceServiceRequest holding just these spans (stored compressed)
 */
public record ParkedChunk(String traceId, String chunkId, String shardId, Instant dueAt, int spanCount, byte[] otlpRequest) {}
