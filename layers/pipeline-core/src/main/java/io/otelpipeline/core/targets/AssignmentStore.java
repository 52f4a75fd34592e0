package io.otelpipeline.core.targets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The allocation in the scrape state table (partition key {@code id}): a head item
 * {@code assignment} (version, shard count, collectors) and one item per collector
 * {@code assignment/<collector>} with its targets as gzipped JSON. Collector items are written
 * before the head, so a reader that follows the head never sees a version without its targets.
 * Scraper shards report into {@code report/<shard>}.
 */
public final class AssignmentStore {
  static final String HEAD = "assignment";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DynamoDbClient dynamo;
  private final String table;

  public AssignmentStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public void save(Assignment a, List<String> previousCollectors) {
    for (Map.Entry<String, List<ScrapeTarget>> e : a.byCollector().entrySet()) {
      putCollector(e.getKey(), a.version(), e.getValue());
    }
    for (String gone : previousCollectors) {
      if (!a.byCollector().containsKey(gone)) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(HEAD + "/" + gone))));
      }
    }
    dynamo.putItem(b -> b.tableName(table).item(Map.of(
        "id", AttributeValue.fromS(HEAD),
        "version", AttributeValue.fromN(Long.toString(a.version())),
        "shards", AttributeValue.fromN(Integer.toString(a.lambdaShards())),
        "strategy", AttributeValue.fromS(a.strategy()),
        "collectors", AttributeValue.fromL(a.byCollector().keySet().stream().map(AttributeValue::fromS).toList()))));
  }

  /** The whole current assignment; empty before the first allocation. */
  public Assignment load() {
    Map<String, AttributeValue> head = get(HEAD);
    if (head == null) {
      return Assignment.empty();
    }
    Map<String, List<ScrapeTarget>> byCollector = new LinkedHashMap<>();
    for (AttributeValue c : head.get("collectors").l()) {
      byCollector.put(c.s(), collector(c.s()).targets());
    }
    return new Assignment(
        Long.parseLong(head.get("version").n()),
        Integer.parseInt(head.get("shards").n()),
        head.get("strategy").s(),
        byCollector);
  }

  /** One collector's targets and the version they belong to; none (version 0) when it has no item. */
  public CollectorTargets collector(String collector) {
    Map<String, AttributeValue> item = get(HEAD + "/" + collector);
    if (item == null) {
      return new CollectorTargets(0, List.of());
    }
    return new CollectorTargets(Long.parseLong(item.get("version").n()), decode(item.get("targets").b().asByteArray()));
  }

  /** A collector's share of an assignment version. */
  public record CollectorTargets(long version, List<ScrapeTarget> targets) {}

  public void report(ScrapeReport r) {
    dynamo.putItem(b -> b.tableName(table).item(Map.of(
        "id", AttributeValue.fromS("report/" + r.shard()),
        "version", AttributeValue.fromN(Long.toString(r.assignmentVersion())),
        "busy_ms", AttributeValue.fromN(Long.toString(r.busy().toMillis())),
        "interval_ms", AttributeValue.fromN(Long.toString(r.interval().toMillis())),
        "targets", AttributeValue.fromN(Integer.toString(r.targets())),
        "at", AttributeValue.fromN(Long.toString(r.at().toEpochMilli())))));
  }

  /** The latest report of each of the given shards that has reported since {@code since}. */
  public List<ScrapeReport> reports(List<String> shards, Instant since) {
    List<ScrapeReport> out = new ArrayList<>();
    for (String shard : shards) {
      Map<String, AttributeValue> item = get("report/" + shard);
      if (item == null) {
        continue;
      }
      ScrapeReport r =
          new ScrapeReport(
              shard,
              Long.parseLong(item.get("version").n()),
              Duration.ofMillis(Long.parseLong(item.get("busy_ms").n())),
              Duration.ofMillis(Long.parseLong(item.get("interval_ms").n())),
              Integer.parseInt(item.get("targets").n()),
              Instant.ofEpochMilli(Long.parseLong(item.get("at").n())));
      if (!r.at().isBefore(since)) {
        out.add(r);
      }
    }
    return out;
  }

  private void putCollector(String collector, long version, List<ScrapeTarget> targets) {
    byte[] encoded = encode(targets);
    if (encoded.length > 350_000) {
      throw new IllegalStateException(
          "collector " + collector + " has " + targets.size() + " targets, " + encoded.length
              + " bytes compressed, over the 350000 that fit a DynamoDB item: add scraper shards or collectors");
    }
    dynamo.putItem(b -> b.tableName(table).item(Map.of(
        "id", AttributeValue.fromS(HEAD + "/" + collector),
        "version", AttributeValue.fromN(Long.toString(version)),
        "targets", AttributeValue.fromB(SdkBytes.fromByteArray(encoded)))));
  }

  private Map<String, AttributeValue> get(String id) {
    GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true));
    return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
  }

  private static byte[] encode(List<ScrapeTarget> targets) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      JSON.writeValue(gz, targets.stream().map(TargetJson::toMap).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
