package io.otelpipeline.core.bench;

import io.otelpipeline.core.partition.PackedRecord;
import io.otelpipeline.core.partition.ShardMap;
import io.otelpipeline.core.partition.TracePartitioner;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.testing.TraceCorpus;
import java.util.List;

/**
 * Kinesis bytes per span and records per 1,000 spans for the benchmark corpus, packed by shard
 * and naively (one record per trace), for each compression. Prints a Markdown table.
 */
public final class RecordPackingReport {
  private RecordPackingReport() {}

  public static void main(String[] args) throws Exception {
    int requests = 20;
    long uncompressed = 0;
    for (int i = 0; i < requests; i++) {
      uncompressed += TraceCorpus.request(2026 + i, 512, 50).getSerializedSize();
    }
    int spans = requests * 512;
    System.out.printf("corpus: %d requests x 512 spans, %.1f uncompressed OTLP bytes per span%n%n", requests, (double) uncompressed / spans);
    System.out.println("| path | compression | bytes/span | records per 1,000 spans | spans/s under 1 MB/s per shard |");
    System.out.println("| --- | --- | ---: | ---: | ---: |");
    for (Compression c : Compression.values()) {
      row("packed by shard (4 shards)", c, requests, spans, true);
      row("naive, one record per trace", c, requests, spans, false);
    }
  }

  private static void row(String path, Compression c, int requests, int spans, boolean packed) throws Exception {
    long bytes = 0;
    long records = 0;
    TracePartitioner partitioner = new TracePartitioner(c);
    for (int i = 0; i < requests; i++) {
      byte[] request = TraceCorpus.request(2026 + i, 512, 50).toByteArray();
      List<PackedRecord> out = packed ? partitioner.partition(request, ShardMap.evenlySplit(4)).records() : NaiveTraceSplitter.split(request, c);
      for (PackedRecord r : out) {
        bytes += r.data().length + r.partitionKey().length();
      }
      records += out.size();
    }
    double perSpan = (double) bytes / spans;
    System.out.printf("| %s | %s | %.1f | %.1f | %,.0f |%n", path, c.name().toLowerCase(), perSpan, 1000.0 * records / spans, 1_000_000 / perSpan);
  }
}
