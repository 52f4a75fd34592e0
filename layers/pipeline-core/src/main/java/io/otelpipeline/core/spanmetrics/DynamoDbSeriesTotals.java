package io.otelpipeline.core.spanmetrics;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelpipeline.core.retry.Backoff;
import io.otelpipeline.core.retry.Sleeper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Series totals as DynamoDB atomic counters in the span-metrics table: one item per series
 * ({@code sum#key}: its resource and attributes, {@code startNanos} set once, {@code calls},
 * {@code count}, {@code sum} and buckets {@code b0..bn} grown with {@code ADD}).
 *
 * <p>Each record's deltas are added in the same TransactWriteItems as its add-ledger entry
 * ({@code add#shard/sequence#chunk}, put only if absent), so a record is added once or not at
 * all: a retried record's transaction is cancelled on its ledger entry, and the rest is added
 * without it. Records share a transaction (up to {@value #ACTIONS_PER_TRANSACTION} actions,
 * deltas to the same series merged into one update), which is what keeps the cost per span low;
 * a record touching more series than fit is split into chunks, each with its own entry.
 *
 * <p>It uses the low-level client, not the Enhanced Client: the totals grow with {@code ADD} in an
 * update expression, an item has as many bucket attributes as its histogram has buckets, and
 * which ledger entries were already there is read from the transaction's per-action cancellation
 * reasons; none of which a table schema expresses.
 */
public final class DynamoDbSeriesTotals implements SeriesTotals {
  /** DynamoDB's limit of actions in one TransactWriteItems. */
  static final int ACTIONS_PER_TRANSACTION = 100;
  /** A series nobody added to for this long expires, and starts again (with a new start time) when it comes back. */
  public static final Duration SERIES_RETENTION = Duration.ofDays(30);
  /**
   * How long a record's add-ledger entry is kept: longer than the stream's 24-hour retention, so
   * no retry of the record outlives it.
   */
  static final Duration ADDED_RECORD_RETENTION = Duration.ofHours(25);
  /** Attempts at one transaction that other consumers keep contending with before the batch fails (and is retried). */
  static final int ATTEMPTS = 10;

  /** The first pause after a cancelled transaction; each next one doubles, up to a second. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(10);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private final DynamoDbClient dynamo;
  private final String table;
  private final Sleeper sleeper;

  public DynamoDbSeriesTotals(DynamoDbClient dynamo, String table) {
    this(dynamo, table, Sleeper.system());
  }

  /** Tests: a sleeper that does not wait. */
  DynamoDbSeriesTotals(DynamoDbClient dynamo, String table, Sleeper sleeper) {
    this.dynamo = dynamo;
    this.table = table;
    this.sleeper = sleeper;
  }

  /** A record's deltas, or one chunk of them, and the ledger entry that says they were added. */
  private record Unit(String ledgerKey, List<SeriesCounts> series) {}

  @Override
  public void add(List<RecordDeltas> records, Instant now) {
    List<Unit> units = new ArrayList<>();
    int perUnit = ACTIONS_PER_TRANSACTION - 1;
    for (RecordDeltas r : records) {
      List<SeriesCounts> sorted = r.series().stream().sorted(Comparator.comparing(SeriesCounts::key)).toList();
      for (int i = 0; i < sorted.size(); i += perUnit) {
        units.add(new Unit("add#" + r.recordId() + "#" + (i / perUnit), sorted.subList(i, Math.min(sorted.size(), i + perUnit))));
      }
    }
    List<Unit> group = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    for (Unit u : units) {
      Set<String> merged = new LinkedHashSet<>(keys);
      for (SeriesCounts s : u.series()) {
        merged.add(s.key());
      }
      if (!group.isEmpty() && group.size() + 1 + merged.size() > ACTIONS_PER_TRANSACTION) {
        write(group, now);
        group = new ArrayList<>();
        merged = new LinkedHashSet<>();
        for (SeriesCounts s : u.series()) {
          merged.add(s.key());
        }
      }
      group.add(u);
      keys = merged;
    }
    if (!group.isEmpty()) {
      write(group, now);
    }
  }

  private void write(List<Unit> group, Instant now) {
    List<Unit> pending = new ArrayList<>(group);
    String ledgerExpiry = Long.toString(now.plus(ADDED_RECORD_RETENTION).getEpochSecond());
    Backoff backoff = new Backoff(FIRST_PAUSE, LONGEST_PAUSE, 2, Backoff.Jitter.BELOW, ThreadLocalRandom.current());
    for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
      Map<String, SeriesCounts> merged = new LinkedHashMap<>();
      for (Unit u : pending) {
        for (SeriesCounts s : u.series()) {
          merged.merge(s.key(), s, DynamoDbSeriesTotals::plus);
        }
      }
      List<TransactWriteItem> actions = new ArrayList<>();
      for (Unit u : pending) {
        actions.add(
            TransactWriteItem.builder()
                .put(
                    Put.builder()
                        .tableName(table)
                        .item(Map.of("pk", AttributeValue.fromS(u.ledgerKey()), "expiresAt", AttributeValue.fromN(ledgerExpiry)))
                        .conditionExpression("attribute_not_exists(pk)")
                        .build())
                .build());
      }
      for (SeriesCounts s : merged.values()) {
        actions.add(TransactWriteItem.builder().update(update(s, now)).build());
      }
      try {
        dynamo.transactWriteItems(b -> b.transactItems(actions));
        return;
      } catch (TransactionCanceledException cancelled) {
        List<CancellationReason> reasons = cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
        List<Unit> added = new ArrayList<>();
        for (int i = 0; i < pending.size() && i < reasons.size(); i++) {
          if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
            added.add(pending.get(i));
          }
        }
        if (added.isEmpty()) {
          pause(backoff);
        }
        pending.removeAll(added);
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException(
          "series totals in table " + table + ": a transaction of " + pending.size() + " records was cancelled " + ATTEMPTS
              + " times by contention; the batch fails and its retry adds each record once");
    }
  }

  /** Backs off from a transaction that another consumer's write to the same series cancelled. */
  private void pause(Backoff backoff) {
    try {
      sleeper.sleep(backoff.next());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a series totals transaction", e);
    }
  }

  private Update update(SeriesCounts s, Instant now) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    names.put("#res", "resource");
    names.put("#attrs", "attributes");
    names.put("#kind", "kind");
    names.put("#start", "startNanos");
    names.put("#exp", "expiresAt");
    names.put("#calls", "calls");
    values.put(":res", AttributeValue.fromB(SdkBytes.fromByteArray(s.resource().toByteArray())));
    values.put(
        ":attrs",
        AttributeValue.fromB(SdkBytes.fromByteArray(KeyValueList.newBuilder().addAllValues(s.attributes()).build().toByteArray())));
    values.put(":kind", AttributeValue.fromS(s.kind().name()));
    values.put(":start", AttributeValue.fromN(Long.toString(now.getEpochSecond() * 1_000_000_000L + now.getNano())));
    values.put(":exp", AttributeValue.fromN(Long.toString(now.plus(SERIES_RETENTION).getEpochSecond())));
    values.put(":calls", AttributeValue.fromN(Long.toString(s.calls())));
    StringBuilder add = new StringBuilder(" ADD #calls :calls");
    if (s.kind() == SeriesCounts.Kind.CALLS && !s.buckets().isEmpty()) {
      names.put("#count", "count");
      names.put("#sum", "sum");
      values.put(":count", AttributeValue.fromN(Long.toString(s.count())));
      values.put(":sum", AttributeValue.fromN(decimal(s.sum())));
      add.append(", #count :count, #sum :sum");
      for (int i = 0; i < s.buckets().size(); i++) {
        names.put("#b" + i, "b" + i);
        values.put(":b" + i, AttributeValue.fromN(Long.toString(s.buckets().get(i))));
        add.append(", #b").append(i).append(" :b").append(i);
      }
    }
    return Update.builder()
        .tableName(table)
        .key(Map.of("pk", AttributeValue.fromS("sum#" + s.key())))
        .updateExpression(
            "SET #res = if_not_exists(#res, :res), #attrs = if_not_exists(#attrs, :attrs), #kind = if_not_exists(#kind, :kind),"
                + " #start = if_not_exists(#start, :start), #exp = :exp" + add)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  /** DynamoDB numbers are decimal: nanosecond precision is all a duration sum needs. */
  private static String decimal(double value) {
    return BigDecimal.valueOf(value).setScale(9, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }

  private static SeriesCounts plus(SeriesCounts a, SeriesCounts b) {
    List<Long> buckets = new ArrayList<>(a.buckets());
    for (int i = 0; i < b.buckets().size(); i++) {
      if (i < buckets.size()) {
        buckets.set(i, buckets.get(i) + b.buckets().get(i));
      } else {
        buckets.add(b.buckets().get(i));
      }
    }
    return new SeriesCounts(
        a.key(), a.kind(), a.resource(), a.attributes(), a.calls() + b.calls(), a.count() + b.count(), a.sum() + b.sum(), buckets,
        Math.min(a.startNanos(), b.startNanos()));
  }

  @Override
  public List<SeriesCounts> read(Collection<String> keys) {
    List<String> ordered = List.copyOf(new LinkedHashSet<>(keys));
    Map<String, SeriesCounts> found = new HashMap<>();
    for (int i = 0; i < ordered.size(); i += 100) {
      List<Map<String, AttributeValue>> batch = new ArrayList<>();
      for (String key : ordered.subList(i, Math.min(ordered.size(), i + 100))) {
        batch.add(Map.of("pk", AttributeValue.fromS("sum#" + key)));
      }
      Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(batch).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> next = request;
        BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(next));
        for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
          SeriesCounts s = decode(item);
          found.put(s.key(), s);
        }
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    List<SeriesCounts> out = new ArrayList<>();
    for (String key : ordered) {
      if (found.containsKey(key)) {
        out.add(found.get(key));
      }
    }
    return out;
  }

  private SeriesCounts decode(Map<String, AttributeValue> item) {
    String pk = item.get("pk").s();
    try {
      List<Long> buckets = new ArrayList<>();
      for (int i = 0; item.containsKey("b" + i); i++) {
        buckets.add(Long.parseLong(item.get("b" + i).n()));
      }
      return new SeriesCounts(
          pk.substring(4),
          SeriesCounts.Kind.valueOf(item.get("kind").s()),
          Resource.parseFrom(item.get("resource").b().asByteArray()),
          KeyValueList.parseFrom(item.get("attributes").b().asByteArray()).getValuesList(),
          Long.parseLong(item.get("calls").n()),
          item.containsKey("count") ? Long.parseLong(item.get("count").n()) : 0,
          item.containsKey("sum") ? new BigDecimal(item.get("sum").n()).doubleValue() : 0,
          buckets,
          Long.parseLong(item.get("startNanos").n()));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalStateException("series totals item " + pk + " in table " + table + " is not readable: " + e.getMessage(), e);
    }
  }
}
