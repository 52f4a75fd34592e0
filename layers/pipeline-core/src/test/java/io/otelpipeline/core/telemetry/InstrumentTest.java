package io.otelpipeline.core.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A recording gives exactly one declared set of dimension keys, or fails naming the instrument, whatever the sink. */
class InstrumentTest {
  private static final Counter SENT = Counter.builder("test_records_sent")
      .setUnit(Unit.COUNT)
      .setDescription("Records sent, by stream.")
      .setDimensions("stream")
      .build();
  private static final Counter EXPORTED = Counter.builder("test_items_exported")
      .setUnit(Unit.COUNT)
      .setDescription("Items exported; some call sites add the signal, one gives no dimensions.")
      .setDimensions("exporter")
      .orDimensions("exporter", "signal")
      .orDimensions()
      .build();
  private static final Distribution AGE = Distribution.builder("test_span_age")
      .setUnit(Unit.SECONDS)
      .setDescription("Age of a late span.")
      .build();

  private final List<Measurement> recorded = new ArrayList<>();
  private final Telemetry telemetry = new Telemetry() {
    @Override
    public void record(Measurement measurement) {
      recorded.add(measurement);
    }

    @Override
    public void flush() {}
  };

  @Test
  void theDeclaredKeysAreRecorded() {
    telemetry.count(SENT, 2, Map.of("stream", "traces"));
    telemetry.count(EXPORTED, 1, Map.of("exporter", "kinesis", "signal", "traces"));
    telemetry.count(EXPORTED, 1);
    telemetry.observe(AGE, 0.5);

    assertEquals(List.of(
        new Measurement(SENT, 2, Map.of("stream", "traces")),
        new Measurement(EXPORTED, 1, Map.of("exporter", "kinesis", "signal", "traces")),
        new Measurement(EXPORTED, 1, Map.of()),
        new Measurement(AGE, 0.5, Map.of())), recorded);
  }

  @Test
  void anUndeclaredKeyFailsNamingTheInstrumentAndTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> telemetry.count(SENT, 1, Map.of("stream", "traces", "shard", "shardId-0")));
    assertEquals("instrument test_records_sent is declared with the dimension keys [stream], not [shard, stream]; undeclared: [shard]",
        e.getMessage());
    assertEquals(List.of(), recorded);
  }

  @Test
  void aMissingKeyFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> telemetry.count(SENT, 1));
    assertEquals("instrument test_records_sent is declared with the dimension keys [stream], not []; missing: [stream]", e.getMessage());
  }

  @Test
  void aKeyMisspeltIsBothUndeclaredAndMissing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> telemetry.count(SENT, 1, Map.of("streem", "traces")));
    assertEquals("instrument test_records_sent is declared with the dimension keys [stream], not [streem]; undeclared: [streem]; missing: [stream]",
        e.getMessage());
  }

  @Test
  void keysOfNoDeclaredSetFailListingEverySet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> telemetry.count(EXPORTED, 1, Map.of("signal", "traces")));
    assertEquals("instrument test_items_exported is declared with the dimension keys [exporter] or [exporter, signal] or [], not [signal]",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> telemetry.observe(AGE, 1, Map.of("policy", "errors")));
    assertEquals(List.of(), recorded);
  }

  @Test
  void theNoopTelemetryChecksToo() {
    assertThrows(IllegalArgumentException.class, () -> Telemetry.noop().count(SENT, 1, Map.of("job", "node")));
  }

  @Test
  void aDeclarationNamesItsUnitDescriptionAndDimensions() {
    assertEquals("test_items_exported", EXPORTED.name());
    assertEquals(Unit.COUNT, EXPORTED.unit());
    assertEquals(List.of(Set.of("exporter"), Set.of("exporter", "signal"), Set.of()), EXPORTED.dimensionSets());
    assertEquals(List.of(Set.of()), AGE.dimensionSets());
  }

  @Test
  void anIncompleteOrMalformedDeclarationFails() {
    assertEquals("instrument test_x declares no unit",
        assertThrows(NullPointerException.class, () -> Counter.builder("test_x").setDescription("x").build()).getMessage());
    assertEquals("instrument test_x declares no description",
        assertThrows(IllegalArgumentException.class, () -> Gauge.builder("test_x").setUnit(Unit.COUNT).build()).getMessage());
    assertEquals("instrument name 'Test-X' is not lower case letters, digits and underscores",
        assertThrows(IllegalArgumentException.class, () -> Counter.builder("Test-X")).getMessage());
    assertEquals("instrument test_x declares the dimension 'function', which every function's telemetry adds itself",
        assertThrows(IllegalArgumentException.class, () -> Counter.builder("test_x").setDimensions("function")).getMessage());
    assertEquals("instrument test_x declares a dimension key twice in [job, job]",
        assertThrows(IllegalArgumentException.class, () -> Counter.builder("test_x").setDimensions("job", "job")).getMessage());
    assertEquals("instrument test_x declares the dimension keys [job] twice",
        assertThrows(IllegalArgumentException.class, () -> Counter.builder("test_x").setDimensions("job").orDimensions("job")).getMessage());
    assertThrows(IllegalStateException.class, () -> Counter.builder("test_x").orDimensions("job"));
    assertThrows(IllegalStateException.class, () -> Counter.builder("test_x").setDimensions("job").setDimensions("stream"));
  }
}
