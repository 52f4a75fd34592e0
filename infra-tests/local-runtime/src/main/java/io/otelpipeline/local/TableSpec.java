package io.otelpipeline.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A DynamoDB table the template declares: what it takes to create it with the same keys, indexes and TTL. */
public record TableSpec(
    String logicalId,
    String name,
    Map<String, String> attributeTypes,
    List<Key> keys,
    List<Index> globalIndexes,
    List<Index> localIndexes,
    Optional<String> ttlAttribute) {

  /** One element of a key schema: an attribute and HASH or RANGE. */
  public record Key(String attribute, String keyType) {}

  /** A secondary index: its keys and projection (ALL, KEYS_ONLY or INCLUDE with the attributes). */
  public record Index(String name, List<Key> keys, String projectionType, List<String> nonKeyAttributes) {}
}
