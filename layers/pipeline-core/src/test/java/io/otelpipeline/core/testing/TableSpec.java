package io.otelpipeline.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A table's keys and its one global secondary index, if any; the static factories give the
 * pipeline's tables as template.yaml declares them, under the name a test chooses.
 */
public record TableSpec(String name, Key hash, Key range, Index index) {
  public record Key(String attribute, ScalarAttributeType type) {}

  public record Index(String name, Key hash, Key range, ProjectionType projection) {}

  public static TableSpec hashKey(String name, String attribute) {
    return new TableSpec(name, new Key(attribute, ScalarAttributeType.S), null, null);
  }

  public TableSpec rangeKey(String attribute, ScalarAttributeType type) {
    return new TableSpec(name, hash, new Key(attribute, type), index);
  }

  public TableSpec index(String indexName, Key indexHash, Key indexRange, ProjectionType projection) {
    return new TableSpec(name, hash, range, new Index(indexName, indexHash, indexRange, projection));
  }

  /** SpanMetricsTable: the running totals of cumulative span metrics and their per-record add ledger. */
  public static TableSpec spanMetrics(String name) {
    return hashKey(name, "pk");
  }

  /** ShardStateTable: one fence item per consumer and shard. */
  public static TableSpec shardState(String name) {
    return hashKey(name, "shard");
  }

  /** TargetsTable. */
  public static TableSpec targets(String name) {
    return hashKey(name, "job").rangeKey("address", ScalarAttributeType.S);
  }

  /** CollectorsTable and ScrapeStateTable. */
  public static TableSpec byId(String name) {
    return hashKey(name, "id");
  }

  CreateTableRequest request() {
    Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
    List<Key> keys = new ArrayList<>(List.of(hash));
    if (range != null) {
      keys.add(range);
    }
    if (index != null) {
      keys.add(index.hash());
      keys.add(index.range());
    }
    keys.forEach(k -> attributes.putIfAbsent(k.attribute(), AttributeDefinition.builder().attributeName(k.attribute()).attributeType(k.type()).build()));
    CreateTableRequest.Builder request =
        CreateTableRequest.builder()
            .tableName(name)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(attributes.values())
            .keySchema(keySchema(hash, range));
    if (index != null) {
      request.globalSecondaryIndexes(
          GlobalSecondaryIndex.builder()
              .indexName(index.name())
              .keySchema(keySchema(index.hash(), index.range()))
              .projection(Projection.builder().projectionType(index.projection()).build())
              .build());
    }
    return request.build();
  }

  private static List<KeySchemaElement> keySchema(Key hash, Key range) {
    List<KeySchemaElement> schema = new ArrayList<>();
    schema.add(KeySchemaElement.builder().attributeName(hash.attribute()).keyType(KeyType.HASH).build());
    if (range != null) {
      schema.add(KeySchemaElement.builder().attributeName(range.attribute()).keyType(KeyType.RANGE).build());
    }
    return schema;
  }
}
