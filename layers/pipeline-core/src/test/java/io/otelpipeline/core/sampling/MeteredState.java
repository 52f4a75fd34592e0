package io.otelpipeline.core.sampling;

import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.sampling.state.DecisionStore;
import io.otelpipeline.core.sampling.state.ExportClaim;
import io.otelpipeline.core.sampling.state.ParkedChunk;
import io.otelpipeline.core.sampling.state.TraceBuffer;
import io.otelpipeline.core.sampling.state.TraceDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * In-memory decision store and trace buffer that count the DynamoDB request units the DynamoDB
 * adapters would consume for the same calls: writes 1 unit per started KB (plus one for the due
 * index entry of a parked chunk), eventually consistent reads half a unit per started 4 KB, and
 * at least half a unit for a key that is not there.
 */
final class MeteredState {
  /** Bytes of a decision item besides exported span ids (key, flags, policy, times). */
  private static final int DECISION_ITEM_BYTES = 120;
  /** Bytes of a parked chunk item besides its spans. */
  private static final int CHUNK_ITEM_BYTES = 110;

  double writeUnits;
  double readUnits;
  /** Write units by purpose: decisions, exported-span marks (and export claims), parking, removing parked chunks. */
  double decisionWrites;
  double exportedWrites;
  double parkWrites;
  double removeWrites;
  final Set<String> everParked = new HashSet<>();
  final Decisions decisions = new Decisions();
  final Buffer buffer = new Buffer();

  private static double writeUnits(int bytes) {
    return Math.ceil(bytes / 1024.0);
  }

  private static double readUnits(int bytes) {
    return Math.max(1, Math.ceil(bytes / 4096.0)) * 0.5;
  }

  final class Decisions implements DecisionStore {
    private final Map<String, TraceDecision> items = new HashMap<>();

    @Override
    public Map<String, TraceDecision> find(Collection<String> traceIds) {
      Map<String, TraceDecision> out = new HashMap<>();
      for (String id : new LinkedHashSet<>(traceIds)) {
        TraceDecision d = items.get(id);
        readUnits += readUnits(d == null ? 0 : size(d));
        if (d != null) {
          out.put(id, d);
        }
      }
      return out;
    }

    @Override
    public TraceDecision record(TraceDecision decision, String claimant) {
      writeUnits += 1;
      decisionWrites += 1;
      TraceDecision proposed = decision.keep() ? decision.claimedBy(new ExportClaim(claimant, Instant.MAX)) : decision;
      return items.computeIfAbsent(decision.traceId(), k -> proposed);
    }

    @Override
    public Optional<TraceDecision> claimExport(String traceId, String claimant) {
      TraceDecision d = items.get(traceId);
      writeUnits += writeUnits(size(d));
      exportedWrites += writeUnits(size(d));
      if (d.exportClaim().isPresent()) {
        return Optional.empty();
      }
      TraceDecision claimed = d.claimedBy(new ExportClaim(claimant, Instant.MAX));
      items.put(traceId, claimed);
      return Optional.of(claimed);
    }

    @Override
    public void markExported(String traceId, Collection<String> spanIds, String claimant) {
      TraceDecision d = items.get(traceId);
      Set<String> ids = new HashSet<>(d.exportedSpanIds());
      ids.addAll(spanIds);
      TraceDecision updated = new TraceDecision(traceId, d.keep(), d.policy(), d.compositePolicy(), d.probability(), d.decidedAt(), ids, Optional.empty());
      items.put(traceId, updated);
      writeUnits += writeUnits(size(updated));
      exportedWrites += writeUnits(size(updated));
    }

    @Override
    public void release(String traceId, String claimant) {
      TraceDecision d = items.get(traceId);
      items.put(traceId, new TraceDecision(traceId, d.keep(), d.policy(), d.compositePolicy(), d.probability(), d.decidedAt(), d.exportedSpanIds(), Optional.empty()));
      writeUnits += writeUnits(size(d));
      exportedWrites += writeUnits(size(d));
    }

    private int size(TraceDecision d) {
      return DECISION_ITEM_BYTES + 17 * d.exportedSpanIds().size();
    }
  }

  final class Buffer implements TraceBuffer {
    private final Map<String, Map<String, ParkedChunk>> chunks = new HashMap<>();
    private final Map<String, Integer> storedBytes = new HashMap<>();
    private final TreeMap<Instant, Set<String>> dueIndex = new TreeMap<>();
    private final Map<String, String> shardOf = new HashMap<>();


    @Override
    public void park(Collection<ParkedChunk> parked) {
      for (ParkedChunk c : parked) {
        int bytes = CHUNK_ITEM_BYTES + Compression.ZSTD.compress(c.otlpRequest()).length;
        writeUnits += writeUnits(bytes) + 1;
        parkWrites += writeUnits(bytes) + 1;
        everParked.add(c.traceId());
        chunks.computeIfAbsent(c.traceId(), k -> new HashMap<>()).put(c.chunkId(), c);
        storedBytes.put(c.traceId() + "/" + c.chunkId(), bytes);
        shardOf.put(c.traceId() + "/" + c.chunkId(), c.shardId());
        dueIndex.computeIfAbsent(c.dueAt(), k -> new LinkedHashSet<>()).add(c.traceId() + "/" + c.chunkId());
      }
    }

    @Override
    public List<String> due(List<String> shardIds, Instant now, int limit) {
      // one query per shard's partition of the index
      readUnits += shardIds.size() * 0.5;
      Set<String> out = new LinkedHashSet<>();
      for (Set<String> keys : dueIndex.headMap(now, true).values()) {
        for (String key : keys) {
          if (out.size() < limit && shardIds.contains(shardOf.get(key))) {
            out.add(key.substring(0, key.indexOf('/')));
          }
        }
      }
      return List.copyOf(out);
    }

    @Override
    public List<ParkedChunk> load(String traceId) {
      Map<String, ParkedChunk> found = chunks.getOrDefault(traceId, Map.of());
      int bytes = 0;
      for (ParkedChunk c : found.values()) {
        bytes += storedBytes.get(traceId + "/" + c.chunkId());
      }
      readUnits += readUnits(bytes);
      return new ArrayList<>(found.values());
    }

    @Override
    public void remove(Collection<ParkedChunk> removed) {
      for (ParkedChunk c : removed) {
        Map<String, ParkedChunk> forTrace = chunks.get(c.traceId());
        if (forTrace == null || forTrace.remove(c.chunkId()) == null) {
          continue;
        }
        if (forTrace.isEmpty()) {
          chunks.remove(c.traceId());
        }
        double units = writeUnits(storedBytes.remove(c.traceId() + "/" + c.chunkId())) + 1;
        writeUnits += units;
        removeWrites += units;
        Set<String> at = dueIndex.get(c.dueAt());
        at.remove(c.traceId() + "/" + c.chunkId());
        if (at.isEmpty()) {
          dueIndex.remove(c.dueAt());
        }
      }
    }
  }
}
