package io.otelpipeline.core.spans;

import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;

/**
 * A span as a shard's {@link SpanPass} hands it to each connector: counted once, with its resource.
 *
 * @param recordId the stream record it came in: shard and sequence number, the same on a retry
 * @param streamTime the shard's stream time when its record was read
 */
public record ShardSpan(String recordId, Instant streamTime, Resource resource, Span span) {}
