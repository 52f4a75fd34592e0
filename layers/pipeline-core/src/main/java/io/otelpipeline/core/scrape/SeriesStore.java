package io.otelpipeline.core.scrape;

import io.otelpipeline.core.targets.ScrapeTarget;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Series state per target in the scrape state table: item {@code series/<job>/<address>}, one
 * read and one write per scrape, expiring a day after the target was last scraped.
 */
public final class SeriesStore {
  /** State of a target not scraped for this long is dropped by the table's TTL. */
  static final Duration RETENTION = Duration.ofDays(1);
  /** Above this the state is not stored (start times then restart at each scrape) rather than fail the write. */
  public static final int MAX_STATE_BYTES = 350_000;

  private final DynamoDbClient dynamo;
  private final String table;

  public SeriesStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public SeriesState load(ScrapeTarget target) {
    GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(target)).consistentRead(true));
    if (!r.hasItem() || r.item().isEmpty()) {
      return SeriesState.empty();
    }
    return SeriesState.decode(r.item().get("series").b().asByteArray(), Long.parseLong(r.item().get("scraped_at").n()));
  }

  /** Stores the state after a scrape; false when it was too large to keep. */
  public boolean save(ScrapeTarget target, SeriesState state, long scrapedAtMillis) {
    byte[] encoded = state.encodeAfterScrape();
    if (encoded.length > MAX_STATE_BYTES) {
      return false;
    }
    Map<String, AttributeValue> item = new java.util.HashMap<>(key(target));
    item.put("series", AttributeValue.fromB(SdkBytes.fromByteArray(encoded)));
    item.put("scraped_at", AttributeValue.fromN(Long.toString(scrapedAtMillis)));
    item.put("expires_at", AttributeValue.fromN(Long.toString(scrapedAtMillis / 1000 + RETENTION.toSeconds())));
    dynamo.putItem(b -> b.tableName(table).item(item));
    return true;
  }

  private static Map<String, AttributeValue> key(ScrapeTarget target) {
    return Map.of("id", AttributeValue.fromS("series/" + target.key()));
  }
}
