package io.otelpipeline.core.sampling.state;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The decision of one trace, which every later span of it follows while the shard remembers it.
 *
 * @param compositePolicy for a composite's keep, the sub-policy that matched
 * @param probability for a hash-based keep, the probability, so late spans carry the same threshold
 * @param decidedAt in the shard's time
 * @param exportedSpanIds of a kept trace, the spans the backend has taken, so a duplicate is not exported twice
 */
public record TraceDecision(
    ByteString traceId,
    boolean keep,
    String policy,
    Optional<String> compositePolicy,
    OptionalDouble probability,
    Instant decidedAt,
    Set<ByteString> exportedSpanIds) {

  public static TraceDecision of(
      ByteString traceId, boolean keep, String policy, Optional<String> compositePolicy, OptionalDouble probability, Instant decidedAt) {
    return new TraceDecision(traceId, keep, policy, compositePolicy, probability, decidedAt, new HashSet<>());
  }

  /** Whether the span still has to be exported: the trace is kept and the backend does not have it yet. */
  public boolean wants(ByteString spanId) {
    return keep && !exportedSpanIds.contains(spanId);
  }
}
