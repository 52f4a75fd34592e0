package io.otelpipeline.core.targets.allocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One allocation run at a time, without reserved concurrency: a run holds the item
 * {@code lease/allocator} of the scrape state table, taken with a conditional put that succeeds
 * only when no one holds it or the holder's time is up. A second run that the schedule delivers
 * (EventBridge delivers at least once) finds it held and does nothing, rather than starting every
 * scraper shard a second time. A run that dies keeps the lease at most {@link #DEFAULT_TERM}, less
 * than the schedule's minute, so the next run is not held back.
 */
public final class AllocationLease {
  /** Longer than a run may take (the function's timeout is 50 s), shorter than the schedule's period. */
  public static final Duration DEFAULT_TERM = Duration.ofSeconds(55);
  static final String ID = "lease/allocator";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration term;

  public AllocationLease(DynamoDbClient dynamo, String table, Duration term) {
    this.dynamo = dynamo;
    this.table = table;
    this.term = term;
  }

  /** The lease, held until {@link Held#close()}; empty when another run holds it now. */
  public Optional<Held> acquire(Instant now) {
    String holder = UUID.randomUUID().toString();
    try {
      dynamo.putItem(b -> b.tableName(table)
          .item(Map.of(
              "id", AttributeValue.fromS(ID),
              "holder", AttributeValue.fromS(holder),
              "until", AttributeValue.fromN(Long.toString(now.plus(term).toEpochMilli())),
              "expires_at", AttributeValue.fromN(Long.toString(now.plus(term).plus(Duration.ofDays(1)).getEpochSecond()))))
          .conditionExpression("attribute_not_exists(id) OR #until < :now")
          .expressionAttributeNames(Map.of("#until", "until"))
          .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))));
      return Optional.of(new Held(holder));
    } catch (ConditionalCheckFailedException held) {
      return Optional.empty();
    }
  }

  /** A held lease; closing it lets the next run in at once. */
  public final class Held implements AutoCloseable {
    private final String holder;

    private Held(String holder) {
      this.holder = holder;
    }

    @Override
    public void close() {
      try {
        dynamo.deleteItem(b -> b.tableName(table)
            .key(Map.of("id", AttributeValue.fromS(ID)))
            .conditionExpression("holder = :me")
            .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(holder))));
      } catch (ConditionalCheckFailedException expired) {
        // the term ran out and another run holds it now: its lease is not ours to end
      }
    }
  }
}
