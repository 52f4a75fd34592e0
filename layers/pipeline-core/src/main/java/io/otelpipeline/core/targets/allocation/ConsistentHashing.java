package io.otelpipeline.core.targets.allocation;

import io.otelpipeline.core.targets.ScrapeTarget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Consistent hashing with bounded loads: each collector owns {@value #VIRTUAL_NODES} points on a
 * 64-bit ring; a target goes to the owner of the first point at or after the hash of its address,
 * skipping collectors already at capacity. Only the address is hashed, so a target keeps its
 * collector whatever its labels or job settings become.
 */
final class ConsistentHashing implements AllocationStrategy {
  /** Points per collector on the ring: enough that shares differ by a few percent. */
  static final int VIRTUAL_NODES = 200;
  /** No collector takes more than this times the average number of targets. */
  static final double LOAD_FACTOR = 1.25;

  @Override
  public String name() {
    return "consistent-hashing";
  }

  @Override
  public Map<String, String> allocate(List<ScrapeTarget> targets, List<String> collectors, Map<String, String> previous) {
    Map<String, String> out = new HashMap<>();
    if (collectors.isEmpty()) {
      return out;
    }
    TreeMap<Long, String> ring = new TreeMap<>();
    for (String c : collectors) {
      for (int v = 0; v < VIRTUAL_NODES; v++) {
        ring.putIfAbsent(hash(c + "#" + v), c);
      }
    }
    int capacity = (int) Math.ceil(targets.size() * LOAD_FACTOR / collectors.size());
    Map<String, Integer> load = new HashMap<>();
    List<ScrapeTarget> ordered =
        targets.stream()
            .sorted(Comparator.comparingLong((ScrapeTarget t) -> hash(t.address())).thenComparing(ScrapeTarget::key))
            .toList();
    for (ScrapeTarget t : ordered) {
      long h = hash(t.address());
      Map.Entry<Long, String> point = ring.ceilingEntry(h);
      if (point == null) {
        point = ring.firstEntry();
      }
      String chosen = point.getValue();
      while (load.getOrDefault(chosen, 0) >= capacity) {
        point = ring.higherEntry(point.getKey());
        if (point == null) {
          point = ring.firstEntry();
        }
        chosen = point.getValue();
      }
      load.merge(chosen, 1, Integer::sum);
      out.put(t.key(), chosen);
    }
    return out;
  }

  static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  }
}
