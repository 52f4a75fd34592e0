package io.otelpipeline.core.targets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The allocation in the scrape state table (partition key {@code id}): a head item
 * {@code assignment} (version, shard count, collectors) and one item per collector
 * {@code assignment/<collector>} with its targets as gzipped JSON. Collector items are written
 * before the head, so a reader that follows the head never sees a version without its targets.
 * Scraper shards report into {@code report/<shard>}.
 */
public final class DynamoDbAssignmentStore implements AssignmentStore {
  /** What fits a DynamoDB item of 400 KB with room for the other attributes. */
  private static final int MAX_TARGETS_BYTES = 350_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DynamoDbTable<AssignmentHeadItem> heads;
  private final DynamoDbTable<CollectorShareItem> shares;
  private final DynamoDbTable<ScrapeReport> reports;

  public DynamoDbAssignmentStore(DynamoDbClient dynamo, String table) {
    DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
    this.heads = enhanced.table(table, AssignmentHeadItem.SCHEMA);
    this.shares = enhanced.table(table, CollectorShareItem.SCHEMA);
    this.reports = enhanced.table(table, ScrapeReportItem.SCHEMA);
  }

  @Override
  public void save(Assignment a, List<String> previousCollectors) {
    for (Map.Entry<String, List<ScrapeTarget>> e : a.byCollector().entrySet()) {
      shares.putItem(new CollectorShareItem(e.getKey(), a.version(), encode(e.getKey(), e.getValue())));
    }
    for (String gone : previousCollectors) {
      if (!a.byCollector().containsKey(gone)) {
        shares.deleteItem(key(CollectorShareItem.id(gone)));
      }
    }
    heads.putItem(new AssignmentHeadItem(a.version(), a.lambdaShards(), a.strategy(), List.copyOf(a.byCollector().keySet())));
  }

  @Override
  public Assignment load() {
    AssignmentHeadItem head = get(heads, AssignmentHeadItem.ID);
    if (head == null) {
      return Assignment.empty();
    }
    Map<String, List<ScrapeTarget>> byCollector = new LinkedHashMap<>();
    for (String c : head.collectors()) {
      byCollector.put(c, collector(c).targets());
    }
    return new Assignment(head.version(), head.shards(), head.strategy(), byCollector);
  }

  @Override
  public CollectorTargets collector(String collector) {
    CollectorShareItem share = get(shares, CollectorShareItem.id(collector));
    return share == null ? new CollectorTargets(0, List.of()) : new CollectorTargets(share.version(), decode(share.targets()));
  }

  @Override
  public void report(ScrapeReport r) {
    reports.putItem(r);
  }

  @Override
  public List<ScrapeReport> reports(List<String> shards, Instant since) {
    List<ScrapeReport> out = new ArrayList<>();
    for (String shard : shards) {
      ScrapeReport r = get(reports, ScrapeReportItem.id(shard));
      if (r != null && !r.at().isBefore(since)) {
        out.add(r);
      }
    }
    return out;
  }

  private static <T> T get(DynamoDbTable<T> items, String id) {
    return items.getItem(r -> r.key(key(id)).consistentRead(true));
  }

  private static Key key(String id) {
    return Key.builder().partitionValue(id).build();
  }

  private static byte[] encode(String collector, List<ScrapeTarget> targets) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      JSON.writeValue(gz, targets.stream().map(TargetJson::toMap).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.size() > MAX_TARGETS_BYTES) {
      throw new IllegalStateException(
          "collector " + collector + " has " + targets.size() + " targets, " + bytes.size()
              + " bytes compressed, over the " + MAX_TARGETS_BYTES + " that fit a DynamoDB item: add scraper shards or collectors");
    }
    return bytes.toByteArray();
  }

  private static List<ScrapeTarget> decode(byte[] gz) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      List<Map<String, Object>> maps = JSON.readValue(in, new TypeReference<>() {});
      return maps.stream().map(TargetJson::fromMap).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
