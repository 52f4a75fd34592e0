package io.otelpipeline.core.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otelpipeline.core.testing.LocalDynamoDbTables;
import io.otelpipeline.core.testing.MutableClock;
import io.otelpipeline.core.testing.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The targets table as deployed tables hold it: what registering writes, and the items operators write by hand. */
class DynamoDbTargetRegistryTest {
  static final String TABLE = "targets";
  @RegisterExtension static final LocalDynamoDbTables dynamo = new LocalDynamoDbTables(TableSpec.targets(TABLE));

  final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
  final List<String> problems = new ArrayList<>();

  TargetRegistry registry() {
    return new DynamoDbTargetRegistry(dynamo.client(), TABLE, clock);
  }

  static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  static AttributeValue n(long v) {
    return AttributeValue.fromN(Long.toString(v));
  }

  Map<String, AttributeValue> stored(String job, String address) {
    return dynamo.client().getItem(b -> b.tableName(TABLE).key(Map.of("job", s(job), "address", s(address)))).item();
  }

  void write(Map<String, AttributeValue> item) {
    dynamo.client().putItem(b -> b.tableName(TABLE).item(item));
  }

  List<TargetEntry> entries() {
    return registry().entries(problems::add).stream().sorted(Comparator.comparing(TargetEntry::address)).toList();
  }

  @Test
  void registeringWritesEveryAttributeUnderItsName() {
    registry().register("svc", "svc-1:8080", Map.of("team", "a"), Optional.of(Duration.ofSeconds(15)), Optional.of(Duration.ofSeconds(120)));
    assertEquals(
        Map.of(
            "job", s("svc"),
            "address", s("svc-1:8080"),
            "labels", AttributeValue.fromM(Map.of("team", s("a"))),
            "interval", s("15000ms"),
            "source", s("REGISTERED"),
            "expires_at", n(clock.instant().getEpochSecond() + 120)),
        stored("svc", "svc-1:8080"));
    assertEquals(
        List.of(new TargetEntry("svc", "svc-1:8080", Map.of("team", "a"), Optional.of(Duration.ofSeconds(15)), TargetSource.REGISTERED)),
        entries());
  }

  @Test
  void aRegistrationWithoutIntervalOrTtlStoresNeither() {
    registry().register("svc", "svc-2:8080", Map.of(), Optional.empty(), Optional.empty());
    assertEquals(
        Map.of("job", s("svc"), "address", s("svc-2:8080"), "labels", AttributeValue.fromM(Map.of()), "source", s("REGISTERED")),
        stored("svc", "svc-2:8080"));
  }

  @Test
  void itemsWrittenByHandAreReadAsOperatorsWriteThemAndABadOneIsReportedAlone() {
    long now = clock.instant().getEpochSecond();
    write(Map.of("job", s("node"), "address", s("n-1:9100"), "labels", AttributeValue.fromM(Map.of("rack", n(7), "zone", s("a"))), "interval", n(30)));
    write(Map.of("job", s("node"), "address", s("n-2:9100"), "interval", s("1m")));
    write(Map.of("job", s("node"), "address", s("n-3:9100")));
    write(Map.of("job", s("node"), "address", s("n-4:9100"), "expires_at", n(now)));
    write(Map.of("job", s("node"), "address", s("n-5:9100"), "expires_at", s("1")));
    write(Map.of("job", s("node"), "address", s("n-6:9100"), "interval", s("soon")));
    write(Map.of("job", s("node"), "address", s("n-7:9100"), "labels", s("not a map"), "expires_at", n(now + 1)));

    assertEquals(
        List.of(
            new TargetEntry("node", "n-1:9100", Map.of("rack", "7", "zone", "a"), Optional.of(Duration.ofSeconds(30)), TargetSource.TABLE),
            new TargetEntry("node", "n-2:9100", Map.of(), Optional.of(Duration.ofMinutes(1)), TargetSource.TABLE),
            new TargetEntry("node", "n-3:9100", Map.of(), Optional.empty(), TargetSource.TABLE),
            new TargetEntry("node", "n-5:9100", Map.of(), Optional.empty(), TargetSource.TABLE),
            new TargetEntry("node", "n-7:9100", Map.of(), Optional.empty(), TargetSource.TABLE)),
        entries(),
        "n-4 has expired; an expires_at that is not a number is no TTL to DynamoDB either");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("n-6:9100") && problems.get(0).contains("interval: 'soon'"), problems.get(0));
  }

  @Test
  void deregisteringSaysWhetherThereWasATargetEvenOneItCannotRead() {
    registry().register("svc", "svc-1:8080", Map.of(), Optional.empty(), Optional.empty());
    write(Map.of("job", s("node"), "address", s("n-6:9100"), "interval", s("soon")));
    assertTrue(registry().deregister("svc", "svc-1:8080"));
    assertFalse(registry().deregister("svc", "svc-1:8080"));
    assertTrue(registry().deregister("node", "n-6:9100"));
    assertEquals(0, dynamo.count(TABLE));
  }
}
