package io.otelpipeline.core.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.otelpipeline.core.consume.BatchResult;
import io.otelpipeline.core.consume.StreamRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between Lambda's Kinesis event types and the domain's stream records, so that the
 * domain never sees a Lambda type. The eventID Lambda builds is {@code shardId:sequenceNumber}.
 */
public final class KinesisEvents {
  private KinesisEvents() {}

  public static List<StreamRecord> records(KinesisEvent event) {
    List<StreamRecord> out = new ArrayList<>();
    if (event == null || event.getRecords() == null) {
      return out;
    }
    for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
      KinesisEvent.Record k = r.getKinesis();
      String eventId = r.getEventID() == null ? "" : r.getEventID();
      int colon = eventId.indexOf(':');
      String shardId = colon > 0 ? eventId.substring(0, colon) : eventId;
      ByteBuffer data = k.getData();
      byte[] bytes = new byte[data.remaining()];
      data.duplicate().get(bytes);
      Instant arrival =
          k.getApproximateArrivalTimestamp() == null ? Instant.now() : k.getApproximateArrivalTimestamp().toInstant();
      out.add(new StreamRecord(r.getEventSourceARN(), shardId, k.getSequenceNumber(), k.getPartitionKey(), bytes, arrival));
    }
    return out;
  }

  public static StreamsEventResponse response(BatchResult result) {
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    for (String seq : result.failedSequenceNumbers()) {
      failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(seq).build());
    }
    return new StreamsEventResponse(failures);
  }
}
