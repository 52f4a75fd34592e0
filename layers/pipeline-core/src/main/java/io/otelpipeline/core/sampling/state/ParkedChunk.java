package io.otelpipeline.core.sampling.state;

import java.time.Instant;

/**
 * Spans of one undecided trace, parked until the trace is due.
 *
 * @param chunkId unique within the trace and derived from where the spans came from (shard and
 *     sequence number), so parking the same records again on a retry overwrites rather than adds
 * @param otlpRequest an ExportTraceServiceRequest holding just these spans (stored compressed)
 */
public record ParkedChunk(String traceId, String chunkId, Instant dueAt, int spanCount, byte[] otlpRequest) {}
