package io.otelpipeline.local.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;

/** Every accepted span is delivered, dropped by a recorded decision, or kept in the failure destination; anything else is loss. */
class LossAccountingTest {
  private static final String TABLE = "decisions";

  @Test
  void spansKeptInTheFailureDestinationAreAccountedForAndOnlyWhatIsNowhereIsLoss() {
    LossAccounting accounting = new LossAccounting(decisions(Map.of("kept", true, "refused", true, "lost", true, "dropped", false)), TABLE);
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

  /** A decisions table that answers BatchGetItem from a map (trace id to keep). */
  private static DynamoDbClient decisions(Map<String, Boolean> keep) {
    return new DynamoDbClient() {
      @Override
      public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        List<Map<String, AttributeValue>> items = request.requestItems().get(TABLE).keys().stream()
            .map(k -> k.get("traceId").s())
            .filter(keep::containsKey)
            .map(t -> Map.of("traceId", AttributeValue.fromS(t), "keep", AttributeValue.fromBool(keep.get(t))))
            .toList();
        return BatchGetItemResponse.builder().responses(Map.of(TABLE, items)).build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
  }
}
