package io.otelpipeline.core.targets.allocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The lease as the item {@code lease/allocator} of the scrape state table, taken with a conditional
 * put that succeeds only when no one holds it or the holder's time is up, and given back with a
 * delete that succeeds only for its holder.
 */
public final class DynamoDbAllocationLease implements AllocationLease {
  private final DynamoDbTable<LeaseItem> leases;
  private final Duration term;

  public DynamoDbAllocationLease(DynamoDbClient dynamo, String table, Duration term) {
    this.leases = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build().table(table, LeaseItem.SCHEMA);
    this.term = term;
  }

  @Override
  public Optional<Held> acquire(Instant now) {
    Instant until = now.plus(term);
    LeaseItem lease = new LeaseItem(LeaseItem.ID, UUID.randomUUID().toString(), until.toEpochMilli(), until.plus(Duration.ofDays(1)).getEpochSecond());
    Expression freeOrRunOut =
        Expression.builder()
            .expression("attribute_not_exists(id) OR #until < :now")
            .putExpressionName("#until", "until")
            .putExpressionValue(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))
            .build();
    try {
      leases.putItem(r -> r.item(lease).conditionExpression(freeOrRunOut));
      return Optional.of(() -> release(lease.holder()));
    } catch (ConditionalCheckFailedException held) {
      return Optional.empty();
    }
  }

  private void release(String holder) {
    Expression mine = Expression.builder().expression("holder = :me").putExpressionValue(":me", AttributeValue.fromS(holder)).build();
    try {
      leases.deleteItem(r -> r.key(k -> k.partitionValue(LeaseItem.ID)).conditionExpression(mine));
    } catch (ConditionalCheckFailedException expired) {
      // the term ran out and another run holds it now: its lease is not ours to end
    }
  }
}
