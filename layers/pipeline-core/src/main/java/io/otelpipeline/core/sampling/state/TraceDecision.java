package io.otelpipeline.core.sampling.state;

import java.time.Instant;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The recorded decision of one trace, which every later span of it follows.
 *
 * @param probability for a hash-based keep, the probability, so late spans carry the same threshold
 * @param exportedSpanIds hex ids of the spans already exported, so a duplicate is not exported twice
 */
public record TraceDecision(
    String traceId, boolean keep, String policy, OptionalDouble probability, Instant decidedAt, Set<String> exportedSpanIds) {
  public TraceDecision {
    exportedSpanIds = Set.copyOf(exportedSpanIds);
  }

  public static TraceDecision of(String traceId, boolean keep, String policy, OptionalDouble probability, Instant decidedAt) {
    return new TraceDecision(traceId, keep, policy, probability, decidedAt, Set.of());
  }
}
