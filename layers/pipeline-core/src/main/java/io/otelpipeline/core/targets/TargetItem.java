package io.otelpipeline.core.targets;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import io.otelpipeline.core.config.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A target in the targets table (partition key {@code job}, sort key {@code address}) as the
 * targets API registers it and as operators write it by hand: {@code labels} a map of strings or
 * numbers, {@code interval} a duration such as {@code 30s} or a number of seconds, {@code source}
 * {@code REGISTERED} for the API's own, and {@code expires_at} the table's TTL in epoch seconds.
 */
record TargetItem(String job, String address, Map<String, String> labels, Duration interval, String source, Long expiresAt) {
  static final String JOB = "job";
  static final String ADDRESS = "address";

  static final TableSchema<TargetItem> SCHEMA =
      StaticImmutableTableSchema.builder(TargetItem.class, Builder.class)
          .newItemBuilder(Builder::new, Builder::build)
          .addAttribute(String.class, a -> a.name(JOB).getter(TargetItem::job).setter((b, v) -> b.job = v).tags(primaryPartitionKey()))
          .addAttribute(String.class, a -> a.name(ADDRESS).getter(TargetItem::address).setter((b, v) -> b.address = v).tags(primarySortKey()))
          .addAttribute(EnhancedType.mapOf(String.class, String.class),
              a -> a.name("labels").getter(TargetItem::labels).setter((b, v) -> b.labels = v).attributeConverter(new Labels()))
          .addAttribute(Duration.class, a -> a.name("interval").getter(TargetItem::interval).setter((b, v) -> b.interval = v).attributeConverter(new Interval()))
          .addAttribute(String.class, a -> a.name("source").getter(TargetItem::source).setter((b, v) -> b.source = v))
          .addAttribute(Long.class, a -> a.name("expires_at").getter(TargetItem::expiresAt).setter((b, v) -> b.expiresAt = v).attributeConverter(new TimeToLive()))
          .build();

  /** A target the targets API registers. */
  static TargetItem registered(String job, String address, Map<String, String> labels, Optional<Duration> interval, Optional<Long> expiresAt) {
    return new TargetItem(job, address, labels, interval.orElse(null), TargetSource.REGISTERED.name(), expiresAt.orElse(null));
  }

  /** Whether the TTL has passed, though DynamoDB's TTL sweep may not have deleted the item yet. */
  boolean expiredAt(long epochSecond) {
    return expiresAt != null && expiresAt <= epochSecond;
  }

  TargetEntry entry() {
    TargetSource from = TargetSource.REGISTERED.name().equals(source) ? TargetSource.REGISTERED : TargetSource.TABLE;
    return new TargetEntry(job, address, labels, Optional.ofNullable(interval), from);
  }

  /** Collects the attributes as the Enhanced Client reads them. */
  private static final class Builder {
    private String job;
    private String address;
    private Map<String, String> labels = Map.of();
    private Duration interval;
    private String source;
    private Long expiresAt;

    TargetItem build() {
      return new TargetItem(job, address, labels, interval, source, expiresAt);
    }
  }

  /** Labels are written as strings and read as strings or numbers; labels that are not a map are none. */
  private static final class Labels implements AttributeConverter<Map<String, String>> {
    @Override
    public AttributeValue transformFrom(Map<String, String> labels) {
      Map<String, AttributeValue> values = new HashMap<>();
      labels.forEach((k, v) -> values.put(k, AttributeValue.fromS(v)));
      return AttributeValue.fromM(values);
    }

    @Override
    public Map<String, String> transformTo(AttributeValue stored) {
      Map<String, String> labels = new LinkedHashMap<>();
      if (stored.hasM()) {
        stored.m().forEach((k, v) -> {
          String value = v.s() != null ? v.s() : v.n();
          if (value == null) {
            throw new IllegalArgumentException("label " + k + " is neither a string nor a number");
          }
          labels.put(k, value);
        });
      }
      return labels;
    }

    @Override
    public EnhancedType<Map<String, String>> type() {
      return EnhancedType.mapOf(String.class, String.class);
    }

    @Override
    public AttributeValueType attributeValueType() {
      return AttributeValueType.M;
    }
  }

  /** The interval is written as milliseconds ({@code 15000ms}) and read as a duration or, when a number, seconds. */
  private static final class Interval implements AttributeConverter<Duration> {
    @Override
    public AttributeValue transformFrom(Duration interval) {
      return AttributeValue.fromS(interval.toMillis() + "ms");
    }

    @Override
    public Duration transformTo(AttributeValue stored) {
      return Durations.parse(stored.s() != null ? stored.s() : stored.n() + "s", "interval");
    }

    @Override
    public EnhancedType<Duration> type() {
      return EnhancedType.of(Duration.class);
    }

    @Override
    public AttributeValueType attributeValueType() {
      return AttributeValueType.S;
    }
  }

  /** An {@code expires_at} that is not a number is no expiry, to DynamoDB's TTL and so to the registry. */
  private static final class TimeToLive implements AttributeConverter<Long> {
    @Override
    public AttributeValue transformFrom(Long epochSecond) {
      return AttributeValue.fromN(Long.toString(epochSecond));
    }

    @Override
    public Long transformTo(AttributeValue stored) {
      return stored.n() == null ? null : Long.parseLong(stored.n());
    }

    @Override
    public EnhancedType<Long> type() {
      return EnhancedType.of(Long.class);
    }

    @Override
    public AttributeValueType attributeValueType() {
      return AttributeValueType.N;
    }
  }
}
