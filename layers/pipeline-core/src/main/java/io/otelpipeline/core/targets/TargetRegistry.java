package io.otelpipeline.core.targets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The targets table (partition key {@code job}, sort key {@code address}): services register and
 * deregister here, and operators may write items directly. An item with {@code expires_at} (epoch
 * seconds, the table's TTL attribute) stops counting once that time passes, before DynamoDB's TTL
 * sweep gets to it; re-registering renews it.
 */
public final class TargetRegistry {
  public static final String JOB = "job";
  public static final String ADDRESS = "address";
  public static final String LABELS = "labels";
  public static final String INTERVAL = "interval";
  public static final String SOURCE = "source";
  public static final String EXPIRES_AT = "expires_at";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public TargetRegistry(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  /** Registers (or renews) a target; with a TTL it expires unless renewed in time. */
  public void register(String job, String address, Map<String, String> labels, Optional<Duration> interval, Optional<Duration> ttl) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(JOB, s(job));
    item.put(ADDRESS, s(address));
    Map<String, AttributeValue> labelValues = new HashMap<>();
    labels.forEach((k, v) -> labelValues.put(k, s(v)));
    item.put(LABELS, AttributeValue.fromM(labelValues));
    interval.ifPresent(i -> item.put(INTERVAL, s(i.toMillis() + "ms")));
    item.put(SOURCE, s(TargetSource.REGISTERED.name()));
    ttl.ifPresent(t -> item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(clock.instant().plus(t).getEpochSecond()))));
    dynamo.putItem(b -> b.tableName(table).item(item));
  }

  /** Removes a target; false when there was none. */
  public boolean deregister(String job, String address) {
    return dynamo.deleteItem(b -> b.tableName(table).key(Map.of(JOB, s(job), ADDRESS, s(address))).returnValues("ALL_OLD"))
        .hasAttributes();
  }

  /** Every unexpired entry; an item that cannot be read is reported and skipped. */
  public List<TargetEntry> entries(Consumer<String> problems) {
    List<TargetEntry> out = new ArrayList<>();
    long now = clock.instant().getEpochSecond();
    for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
      AttributeValue expires = item.get(EXPIRES_AT);
      if (expires != null && expires.n() != null && Long.parseLong(expires.n()) <= now) {
        continue;
      }
      try {
        out.add(entry(item));
      } catch (RuntimeException e) {
        problems.accept("targets table item " + item.get(JOB) + "/" + item.get(ADDRESS) + " skipped: " + e.getMessage());
      }
    }
    return out;
  }

  private static TargetEntry entry(Map<String, AttributeValue> item) {
    Map<String, String> labels = new LinkedHashMap<>();
    AttributeValue l = item.get(LABELS);
    if (l != null && l.hasM()) {
      l.m().forEach((k, v) -> labels.put(k, v.s() != null ? v.s() : v.n()));
    }
    Optional<Duration> interval = Optional.empty();
    AttributeValue i = item.get(INTERVAL);
    if (i != null) {
      interval = Optional.of(io.otelpipeline.core.config.Durations.parse(i.s() != null ? i.s() : i.n() + "s", "interval"));
    }
    AttributeValue src = item.get(SOURCE);
    TargetSource source = src != null && TargetSource.REGISTERED.name().equals(src.s()) ? TargetSource.REGISTERED : TargetSource.TABLE;
    return new TargetEntry(item.get(JOB).s(), item.get(ADDRESS).s(), labels, interval, source);
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }
}
