package io.otelpipeline.load;

import java.util.Map;

/**
 * Delivery latency of the traces the backend got whole: for each trace whose every accepted span
 * is at the sink, from the client's first send of one of its spans to the arrival of its last span
 * at the backend, and from the arrival of its first span to that of its last (how far apart the
 * backend gets one trace). Traces not whole at the backend (dropped by sampling, or still missing
 * spans) are left out; {@code traces} is how many were measured. Milliseconds.
 */
record DeliveryLatency(Samples sentToLastArrival, Samples firstToLastArrival, int traces) {

  /** When a trace's first and last unique span arrived at the sink, wall-clock milliseconds. */
  record Arrival(long firstMillis, long lastMillis) {}

  /**
   * {@code accepted}: spans ingest accepted per trace; {@code firstSent}: when the client first sent
   * each trace; {@code atSink}: unique spans per trace at the sink; {@code arrivals}: per trace at the sink.
   */
  static DeliveryLatency of(Map<String, Integer> accepted, Map<String, Long> firstSent, Map<String, Integer> atSink,
      Map<String, Arrival> arrivals) {
    Samples sentToLast = new Samples();
    Samples firstToLast = new Samples();
    int traces = 0;
    for (Map.Entry<String, Integer> e : accepted.entrySet()) {
      Arrival arrival = arrivals.get(e.getKey());
      Long sent = firstSent.get(e.getKey());
      if (arrival == null || sent == null || atSink.getOrDefault(e.getKey(), 0) < e.getValue()) {
        continue;
      }
      sentToLast.add(Math.max(0, arrival.lastMillis() - sent));
      firstToLast.add(arrival.lastMillis() - arrival.firstMillis());
      traces++;
    }
    return new DeliveryLatency(sentToLast, firstToLast, traces);
  }
}
