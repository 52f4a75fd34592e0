package io.otelpipeline.core.partition;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The open shards of a stream and the hash key range each one owns. Lookups are a binary search
 * over the sorted starting keys.
 */
public final class ShardMap {
  /** One open shard and the inclusive hash key range it owns. */
  public record ShardRange(String shardId, BigInteger startingHashKey, BigInteger endingHashKey) {}

  /** The highest hash key of the 128-bit key space. */
  public static final BigInteger MAX_HASH_KEY = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private final List<ShardRange> shards;
  private final BigInteger[] starts;

  public ShardMap(List<ShardRange> openShards) {
    if (openShards.isEmpty()) {
      throw new IllegalArgumentException("a stream needs at least one open shard");
    }
    List<ShardRange> sorted = new ArrayList<>(openShards);
    sorted.sort(Comparator.comparing(ShardRange::startingHashKey));
    this.shards = List.copyOf(sorted);
    this.starts = sorted.stream().map(ShardRange::startingHashKey).toArray(BigInteger[]::new);
  }

  /** A map with {@code n} shards splitting the key space evenly, as CreateStream does. */
  public static ShardMap evenlySplit(int n) {
    List<ShardRange> ranges = new ArrayList<>();
    BigInteger width = MAX_HASH_KEY.add(BigInteger.ONE).divide(BigInteger.valueOf(n));
    for (int i = 0; i < n; i++) {
      BigInteger start = width.multiply(BigInteger.valueOf(i));
      BigInteger end = i == n - 1 ? MAX_HASH_KEY : start.add(width).subtract(BigInteger.ONE);
      ranges.add(new ShardRange(String.format("shardId-%012d", i), start, end));
    }
    return new ShardMap(ranges);
  }

  /** The index, in {@link #shards()}, of the shard owning this hash key. */
  public int indexOf(BigInteger hashKey) {
    int lo = 0;
    int hi = starts.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid].compareTo(hashKey) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  public ShardRange shardOf(BigInteger hashKey) {
    return shards.get(indexOf(hashKey));
  }

  public List<ShardRange> shards() {
    return shards;
  }

  public int size() {
    return shards.size();
  }
}
