package io.otelpipeline.core.targets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The targets table (partition key {@code job}, sort key {@code address}): services register and
 * deregister here, and operators may write items directly. An item with {@code expires_at} (epoch
 * seconds, the table's TTL attribute) stops counting once that time passes, before DynamoDB's TTL
 * sweep gets to it; re-registering renews it.
 */
public final class DynamoDbTargetRegistry implements TargetRegistry {
  private final DynamoDbClient dynamo;
  private final String table;
  private final DynamoDbTable<TargetItem> targets;
  private final Clock clock;

  public DynamoDbTargetRegistry(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.targets = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(table, TargetItem.SCHEMA);
    this.clock = clock;
  }

  @Override
  public void register(String job, String address, Map<String, String> labels, Optional<Duration> interval, Optional<Duration> ttl) {
    targets.putItem(TargetItem.registered(job, address, labels, interval, ttl.map(t -> clock.instant().plus(t).getEpochSecond())));
  }

  @Override
  public boolean deregister(String job, String address) {
    // The low-level delete, because only whether there was an item matters: the Enhanced Client's
    // delete reads the old item back through the schema, and fails on one an operator wrote in a
    // shape it cannot read.
    Map<String, AttributeValue> key = Map.of(TargetItem.JOB, AttributeValue.fromS(job), TargetItem.ADDRESS, AttributeValue.fromS(address));
    return dynamo.deleteItem(b -> b.tableName(table).key(key).returnValues(ReturnValue.ALL_OLD)).hasAttributes();
  }

  @Override
  public List<TargetEntry> entries(Consumer<String> problems) {
    List<TargetEntry> out = new ArrayList<>();
    long now = clock.instant().getEpochSecond();
    // The low-level scan, each item mapped on its own: the Enhanced Client's scan maps a page at
    // once, and one item an operator wrote that cannot be read would stop the others.
    for (Map<String, AttributeValue> stored : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
      try {
        TargetItem item = TargetItem.SCHEMA.mapToItem(stored);
        if (!item.expiredAt(now)) {
          out.add(item.entry());
        }
      } catch (RuntimeException e) {
        problems.accept("targets table item " + stored.get(TargetItem.JOB).s() + "/" + stored.get(TargetItem.ADDRESS).s() + " skipped: " + e.getMessage());
      }
    }
    return out;
  }
}
