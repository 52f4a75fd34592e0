package io.otelpipeline.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the ingest endpoint answered the harness: spans and requests accepted, each attempt's
 * latency, the 429 and 503 answers (the pipeline asking clients to back off), other failures,
 * and spans given up after the last retry.
 */
final class IngestMeter {
  final LongAdder spansOffered = new LongAdder();
  final LongAdder spansAccepted = new LongAdder();
  final LongAdder requestsAccepted = new LongAdder();
  final LongAdder tooManyRequests = new LongAdder();
  final LongAdder unavailable = new LongAdder();
  final LongAdder otherFailures = new LongAdder();
  final LongAdder spansGivenUp = new LongAdder();
  final LongAdder tracesAccepted = new LongAdder();
  /** When the last accepted request was answered, System.nanoTime(). */
  final AtomicLong lastAcceptedNanos = new AtomicLong();
  /** Latency of every request attempt, in microseconds. */
  final Samples latencyMicros = new Samples();
  /** The accepted spans per trace. */
  final TraceLedger ledger = new TraceLedger();
}
