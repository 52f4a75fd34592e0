package io.otelpipeline.core.partition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A stream's shard map, reloaded when it is older than a refresh interval or when a write shows
 * it stale (a record landed on a shard the map did not predict). A stale map costs only packing
 * efficiency, never correctness: consumers do not rely on shard affinity to be right.
 */
public final class CachedShardMap {
  /** Default refresh interval: resharding takes minutes, so a minute-old map is rarely wrong. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(60);

  private final String streamName;
  private final ShardMapSource source;
  private final Clock clock;
  private final Duration refresh;
  private volatile ShardMap current;
  private volatile Instant loadedAt = Instant.MIN;

  public CachedShardMap(String streamName, ShardMapSource source, Clock clock, Duration refresh) {
    this.streamName = streamName;
    this.source = source;
    this.clock = clock;
    this.refresh = refresh;
  }

  public ShardMap get() {
    Instant now = clock.instant();
    if (current == null || loadedAt.plus(refresh).isBefore(now)) {
      reload();
    }
    return current;
  }

  /** Marks the map stale so the next {@link #get()} reloads it. */
  public void invalidate() {
    loadedAt = Instant.MIN;
  }

  private synchronized void reload() {
    current = source.load(streamName);
    loadedAt = clock.instant();
  }
}
