package io.otelpipeline.core.sampling.state;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The recorded decision of one trace, which every later span of it follows.
 *
 * @param compositePolicy for a composite's keep, the sub-policy that matched
 * @param probability for a hash-based keep, the probability, so late spans carry the same threshold
 * @param exportedSpanIds hex ids of the spans already exported, so a duplicate is not exported twice
 * @param exportClaim who is exporting spans of this kept trace right now, if anyone
 */
public record TraceDecision(
    String traceId,
    boolean keep,
    String policy,
    Optional<String> compositePolicy,
    OptionalDouble probability,
    Instant decidedAt,
    Set<String> exportedSpanIds,
    Optional<ExportClaim> exportClaim) {
  public TraceDecision {
    exportedSpanIds = Set.copyOf(exportedSpanIds);
  }

  public static TraceDecision of(String traceId, boolean keep, String policy, OptionalDouble probability, Instant decidedAt) {
    return new TraceDecision(traceId, keep, policy, Optional.empty(), probability, decidedAt, Set.of(), Optional.empty());
  }

  /** This decision with the composite's sub-policy that made it, if any. */
  public TraceDecision withCompositePolicy(Optional<String> subPolicy) {
    return new TraceDecision(traceId, keep, policy, subPolicy, probability, decidedAt, exportedSpanIds, exportClaim);
  }

  /** This decision with its export claimed by {@code claim}. */
  public TraceDecision claimedBy(ExportClaim claim) {
    return new TraceDecision(traceId, keep, policy, compositePolicy, probability, decidedAt, exportedSpanIds, Optional.of(claim));
  }

  /** Whether {@code claimant} holds the export claim (as of when this decision was read). */
  public boolean isClaimedBy(String claimant) {
    return exportClaim.map(c -> c.claimant().equals(claimant)).orElse(false);
  }
}
