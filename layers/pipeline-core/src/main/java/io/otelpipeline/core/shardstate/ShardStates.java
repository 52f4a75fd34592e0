package io.otelpipeline.core.shardstate;

import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.telemetry.Counter;
import io.otelpipeline.core.telemetry.Unit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A consumer's shard states, decoded, with the last one saved kept in the warm container: a load
 * reads the fence item and skips reading the object when nothing was saved since (the usual case,
 * since Lambda keeps sending a shard to the same container while it stays warm).
 *
 * <p>A loaded state is handed over, not shared: it leaves the cache until it is saved again, so an
 * invocation that fails half-way through changing it leaves nothing behind for the next one.
 *
 * @param <T> the consumer's state
 */
public final class ShardStates<T> {
  /** Saves that lost to another invocation of the shard ({@link ShardStateConflict}); their batch is retried. */
  public static final Counter CONFLICTS = Counter.builder("otelpipeline_shard_state_conflicts")
      .setUnit(Unit.COUNT)
      .setDescription("Shard state saves that lost to another invocation of the shard; the batch is retried from the newer state.")
      .build();

  /** How a consumer's state is written to and read from bytes. */
  public interface Codec<T> {
    byte[] encode(T state);

    T decode(byte[] bytes);
  }

  /** A shard's state as an invocation holds it: the version it was loaded from (empty: never saved) and the state. */
  public record Loaded<T>(String shardId, Optional<ShardStateVersion> version, T state) {
    /** Whether the record is already in the state: a record of a retried batch that the last save took in. */
    public boolean covers(String sequenceNumber) {
      return version.map(v -> v.covers(sequenceNumber)).orElse(false);
    }
  }

  /** Saved states are zstd-compressed; a state decompresses to at most this many bytes. */
  static final int MAX_STATE_BYTES = 512 * 1024 * 1024;

  private final ShardStateStore store;
  private final Codec<T> codec;
  private final Map<String, Loaded<T>> warm = new ConcurrentHashMap<>();

  public ShardStates(ShardStateStore store, Codec<T> codec) {
    this.store = store;
    this.codec = codec;
  }

  /**
   * The shard's current state; {@code fresh} gives the state of a shard that never saved one (a new
   * stream's shard, or a child of a reshard starting from its parents' states).
   */
  public Loaded<T> load(String shardId, Supplier<T> fresh) {
    Optional<ShardStateVersion> current = store.current(shardId);
    Loaded<T> cached = warm.remove(shardId);
    if (current.isEmpty()) {
      return new Loaded<>(shardId, Optional.empty(), fresh.get());
    }
    if (cached != null && cached.version().equals(current)) {
      return cached;
    }
    return new Loaded<>(shardId, current, decode(store.read(current.get())));
  }

  /**
   * The shard's current state; a shard that never saved one starts from {@code start} applied to
   * the final states of its {@code parents} (none for an original shard; Lambda reads a parent to
   * its end before its children), so a child of a reshard carries on with what its parents left.
   */
  public Loaded<T> load(String shardId, List<String> parents, Function<List<T>, T> start) {
    return load(shardId, () -> start.apply(parents.stream().map(this::peek).flatMap(Optional::stream).toList()));
  }

  /** The shard's current state if one was ever saved, read without keeping it. */
  public Optional<T> peek(String shardId) {
    return store.current(shardId).map(v -> decode(store.read(v)));
  }

  /**
   * Saves {@code state} as the shard's state taking in every record up to {@code sequenceNumber}.
   *
   * @throws ShardStateConflict when another save for the shard came first
   */
  public Loaded<T> save(Loaded<T> from, String sequenceNumber, T state) {
    byte[] bytes = Compression.ZSTD.compress(codec.encode(state));
    ShardStateVersion saved = store.save(from.shardId(), from.version(), sequenceNumber, bytes);
    Loaded<T> next = new Loaded<>(from.shardId(), Optional.of(saved), state);
    warm.put(from.shardId(), next);
    return next;
  }

  private T decode(byte[] bytes) {
    return codec.decode(Compression.ZSTD.decompress(bytes, 0, bytes.length, MAX_STATE_BYTES));
  }
}
