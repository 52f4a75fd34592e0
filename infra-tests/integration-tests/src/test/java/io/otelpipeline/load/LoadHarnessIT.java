package io.otelpipeline.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A short load run end to end: a few seconds of Demo traffic at a small rate against a local
 * stack with one shard per stream. Ingest accepts it, and every accepted span is found again,
 * at the harness's sink or dropped by a recorded sampling decision; the report says so.
 */
class LoadHarnessIT {
  @Test
  void everyAcceptedSpanIsExportedOrDroppedByADecision() {
    LoadOptions options = LoadOptions.parse(new String[] {"--rate", "200", "--duration", "4s", "--shards", "1", "--errors", "0.1", "--slow", "0.1"});
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    LoadReport report = LoadHarness.run(options, out);
    LoadHarness.print(report, out);

    LoadReport.Local local = report.local().orElseThrow();
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(report.spansAccepted() > 0, "ingest accepted spans:\n" + text);
    assertEquals(report.spansGenerated(), report.spansAccepted(), "every generated span was accepted:\n" + text);
    assertEquals(0, local.undecided(), "no accepted span left without a decision:\n" + text);
    assertEquals(0, local.missing(), "no span of a kept trace missing at the backend:\n" + text);
    assertEquals(report.spansAccepted(), local.spansExported() + local.spansDropped(), "exported + dropped = accepted:\n" + text);
    assertTrue(local.spansExported() > 0 && local.spansDropped() > 0, "errors and slow traces kept, most others dropped:\n" + text);
    assertTrue(text.contains("| ingest | achieved intake rate |") && text.contains("unaccounted") && text.contains("per million spans"),
        "the summary table and the cost were printed:\n" + text);
  }
}
