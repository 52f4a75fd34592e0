package io.otelpipeline.core.servicegraph;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a half edge waits for its other half when the two arrive in different batches. Every
 * operation is idempotent for the same {@code claim} (the stream record or batch the caller is
 * handling), so that a batch Lambda retries pairs and expires exactly what it did the first time.
 */
public interface PendingEdgeStore {
  /** What became of a half offered to the store. */
  sealed interface Outcome {
    /** The other half was waiting: the edge is complete. */
    record Paired(EdgeHalf other) implements Outcome {}

    /** Parked until its other half arrives or it is due. */
    record Parked() implements Outcome {}

    /** Its slot is taken by a half that is already paired or being expired: it cannot become an edge. */
    record Unpairable() implements Outcome {}
  }

  /**
   * Takes the waiting other half of {@code half}, or parks {@code half} until {@code due}. A half
   * that a sweep has leased at {@code now} is no longer available to pair.
   */
  Outcome pairOrPark(EdgeHalf half, String claim, Instant now, Instant due);

  /**
   * Leases up to {@code limit} halves that are due and unpaired so that this caller alone counts
   * them; a lease not followed by {@link #forget} lapses and the halves are offered again.
   */
  List<EdgeHalf> leaseExpired(Instant now, String claim, int limit);

  /** Removes halves this caller leased and has now accounted for. */
  void forget(List<EdgeHalf> leased, String claim);
}
