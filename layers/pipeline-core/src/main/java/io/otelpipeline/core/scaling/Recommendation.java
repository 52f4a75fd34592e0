package io.otelpipeline.core.scaling;

/**
 * What the advisor recommends for one stream, consumer or the scrapers, with the numbers before and
 * after and the reason in words an operator can act on.
 */
public record Recommendation(Subject subject, String name, Action action, int current, int proposed, String reason) {
  public enum Subject {
    STREAM,
    CONSUMER,
    SCRAPERS
  }

  public enum Action {
    /** Raise the stream's shard count to {@code proposed}. */
    ADD_SHARDS,
    /** Lower the stream's shard count to {@code proposed}: it has stayed far below its limits. */
    REMOVE_SHARDS,
    /** Raise the event source mapping's ParallelizationFactor to {@code proposed}. */
    RAISE_PARALLELIZATION,
    /** Within capacity: nothing to do. */
    NONE,
    /** The backend is failing: scaling would only add load to it. */
    DO_NOT_SCALE,
    /** More capacity is needed than the bounds allow: someone must raise them. */
    AT_LIMIT,
    /** The target allocator adds scraper shards on its own; reported so the operator sees why. */
    ALLOCATOR_ADDS_SCRAPERS,
    /** No metrics in the window: cannot tell. */
    NO_DATA
  }

  /** True when applying it changes a setting (shard count or ParallelizationFactor). */
  public boolean changesCapacity() {
    return action == Action.ADD_SHARDS || action == Action.REMOVE_SHARDS || action == Action.RAISE_PARALLELIZATION;
  }
}
