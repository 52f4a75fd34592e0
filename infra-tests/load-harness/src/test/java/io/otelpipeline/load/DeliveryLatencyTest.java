package io.otelpipeline.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Delivery latency per trace whole at the backend, and the percentiles the report takes of it. */
class DeliveryLatencyTest {
  @Test
  void onlyTracesWholeAtTheBackendAreMeasuredFromTheirFirstSendToTheirLastArrival() {
    Map<String, Integer> accepted = Map.of("whole", 3, "partial", 3, "dropped", 2);
    Map<String, Long> sent = Map.of("whole", 1_000L, "partial", 1_000L, "dropped", 1_000L);
    Map<String, Integer> atSink = Map.of("whole", 3, "partial", 2);
    Map<String, DeliveryLatency.Arrival> arrivals = Map.of(
        "whole", new DeliveryLatency.Arrival(4_000, 9_500),
        "partial", new DeliveryLatency.Arrival(2_000, 3_000));

    DeliveryLatency d = DeliveryLatency.of(accepted, sent, atSink, arrivals);

    assertEquals(1, d.traces());
    assertEquals(8_500, d.sentToLastArrival().percentile(50), "first send at 1.0 s, last span at 9.5 s");
    assertEquals(5_500, d.firstToLastArrival().percentile(50), "first span at 4.0 s, last at 9.5 s");
  }

  @Test
  void percentilesAreNearestRankOverEveryTrace() {
    Map<String, Integer> accepted = new HashMap<>();
    Map<String, Long> sent = new HashMap<>();
    Map<String, Integer> atSink = new HashMap<>();
    Map<String, DeliveryLatency.Arrival> arrivals = new HashMap<>();
    for (int i = 1; i <= 200; i++) {
      String trace = "t" + i;
      accepted.put(trace, 1);
      atSink.put(trace, 1);
      sent.put(trace, 0L);
      // trace i: last span i * 10 ms after its send, i ms after the first span's arrival
      arrivals.put(trace, new DeliveryLatency.Arrival(i * 10L - i, i * 10L));
    }

    DeliveryLatency d = DeliveryLatency.of(accepted, sent, atSink, arrivals);
    LoadReport.Delivery report = LoadReport.Delivery.of(d);

    assertEquals(200, report.traces());
    assertEquals(1.0, report.sentToLastP50(), 1e-9, "the 100th of 200");
    assertEquals(1.98, report.sentToLastP99(), 1e-9, "the 198th of 200");
    assertEquals(0.1, report.firstToLastP50(), 1e-9);
    assertEquals(0.198, report.firstToLastP99(), 1e-9);
    assertEquals(-1, LoadReport.Delivery.of(DeliveryLatency.of(Map.of(), Map.of(), Map.of(), Map.of())).sentToLastP50(),
        "nothing measured is not zero");
  }
}
