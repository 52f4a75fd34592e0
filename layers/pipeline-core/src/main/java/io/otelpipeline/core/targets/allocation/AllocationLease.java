package io.otelpipeline.core.targets.allocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One allocation run at a time, without reserved concurrency: a second run that the schedule
 * delivers (EventBridge delivers at least once) finds the lease held and does nothing, rather than
 * starting every scraper shard a second time. A run that dies keeps the lease at most its term, so
 * the next run is not held back.
 */
public interface AllocationLease {
  /** Longer than a run may take (the function's timeout is 50 s), shorter than the schedule's period. */
  Duration DEFAULT_TERM = Duration.ofSeconds(55);

  /** The lease, held until {@link Held#close()}; empty when another run holds it now. */
  Optional<Held> acquire(Instant now);

  /** A held lease; closing it lets the next run in at once. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
