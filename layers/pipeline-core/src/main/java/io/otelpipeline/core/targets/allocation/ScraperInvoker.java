package io.otelpipeline.core.targets.allocation;

/** Starts one Lambda scraper shard's run, without waiting for it. */
public interface ScraperInvoker {
  /** Starts shard {@code shard} on the given assignment version; throws when the start was refused. */
  void invoke(int shard, long assignmentVersion);
}
