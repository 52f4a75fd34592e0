package io.otelpipeline.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every accepted span is delivered, dropped by a remembered decision, or kept in the failure destination; anything else is loss. */
class LossAccountingTest {
  @Test
  void spansKeptInTheFailureDestinationAreAccountedForAndOnlyWhatIsNowhereIsLoss() {
    Map<String, Boolean> decisions = Map.of("kept", true, "refused", true, "lost", true, "dropped", false);
    LossAccounting accounting = new LossAccounting(() -> decisions);
    Map<String, Integer> accepted = Map.of("kept", 4, "refused", 3, "lost", 2, "dropped", 5, "undecided", 2, "unreadable", 1);
    Map<String, Integer> atSink = Map.of("kept", 4, "refused", 1);
    Map<String, Integer> inFailureFiles = Map.of("refused", 2, "lost", 1, "unreadable", 1);

    LossAccounting.Tally tally = accounting.tally(accepted, atSink, inFailureFiles);

    assertEquals(17, tally.accepted());
    assertEquals(5, tally.exported());
    assertEquals(5, tally.dropped());
    assertEquals(4, tally.inFailureDestination(), "refused 2, lost 1, and the undecided trace's span kept whole");
    assertEquals(1, tally.missing(), "one span of 'lost' is nowhere");
    assertEquals(2, tally.undecided());
    assertFalse(tally.complete());

    LossAccounting.Tally settled = accounting.tally(Map.of("kept", 4, "refused", 3, "dropped", 5), atSink, inFailureFiles);
    assertTrue(settled.complete(), settled.toString());
    assertEquals(12, settled.exported() + settled.dropped() + settled.inFailureDestination());
  }
}
