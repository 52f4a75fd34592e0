package io.otelpipeline.load;

import io.otelpipeline.load.cost.CostReport;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one load run measured, per component: the client's offer, ingest's answers and latency,
 * each consumer's lag, and (against the local stack, which has the harness's own sink as its
 * backend) the end-to-end delay and the loss accounting: every span ingest accepted is either
 * exported or dropped by a sampling decision, and what is neither is reported as unaccounted.
 */
record LoadReport(
    int targetRate,
    int shards,
    double driveSeconds,
    double loadSeconds,
    long spansGenerated,
    long spansOffered,
    long spansAccepted,
    long tracesAccepted,
    long requestsAccepted,
    long tooManyRequests,
    long unavailable,
    long otherFailures,
    long spansGivenUp,
    double latencyP50Ms,
    double latencyP95Ms,
    double latencyP99Ms,
    Optional<Local> local) {

  /** A consumer's lag: the most records waiting and the oldest wait seen during the run. */
  record ConsumerPeak(String function, String stream, long peakRecords, double peakBehindSeconds) {}

  /** The consumers' backlog halfway through the load and at its end: records behind (summed) and the oldest wait. */
  record Backlog(long halfwayRecords, double halfwaySeconds, long endRecords, double endSeconds) {}

  /**
   * The wait after the load for every accepted span to be delivered or accounted for: whether it
   * came ({@code complete}; otherwise the bound passed first), seconds from the end of the load
   * (the last export answered) and, with an outage, from the moment the backend was back.
   */
  record Drain(boolean complete, double fromLoadEndSeconds, Optional<Double> fromOutageEndSeconds, double boundSeconds) {}

  /** The backend outage: when it began after the start of the load, how long it lasted, trace export requests it refused. */
  record Outage(double startSeconds, double lengthSeconds, int refusedTraceRequests) {}

  /**
   * Delivery latency of the traces that reached the backend whole (see {@link DeliveryLatency}), in
   * seconds: the client's first send of a trace to the arrival of its last span, and the first to
   * the last span's arrival; -1 when no trace was measured.
   */
  record Delivery(int traces, double sentToLastP50, double sentToLastP99, double firstToLastP50, double firstToLastP99) {
    static Delivery of(DeliveryLatency d) {
      return new Delivery(d.traces(), seconds(d.sentToLastArrival().percentile(50)), seconds(d.sentToLastArrival().percentile(99)),
          seconds(d.firstToLastArrival().percentile(50)), seconds(d.firstToLastArrival().percentile(99)));
    }

    private static double seconds(long millis) {
      return millis < 0 ? -1 : millis / 1000.0;
    }
  }

  /** What only a local run can see. */
  record Local(
      List<ConsumerPeak> consumers,
      long spansExported,
      long duplicates,
      long spansDropped,
      long telemetrySampledOut,
      long undecided,
      long missing,
      double decidedPerSecondDuringLoad,
      double delayP50Seconds,
      double delayP95Seconds,
      double delayP99Seconds,
      long spansInFailureDestination,
      Backlog backlog,
      Drain drain,
      Optional<Outage> outage,
      Delivery delivery,
      MemoryWatch.Peaks memory,
      Optional<CostReport> cost) {
    /** Accepted spans that are neither at the backend nor dropped by a decision: lost. */
    long unaccounted() {
      return undecided + missing;
    }
  }

  /** Spans per second that the client generated while it generated. */
  double generatedRate() {
    return spansGenerated / driveSeconds;
  }

  /** Spans per second ingest accepted with 200, from the start to the last accepted answer. */
  double acceptedRate() {
    return spansAccepted / loadSeconds;
  }

  /** Spans the SDK's batch processor dropped before export because its queue was full (the client could not keep up). */
  long clientDropped() {
    return Math.max(0, spansGenerated - spansOffered);
  }

  /** The highest lag of any consumer during the run, in seconds. */
  double peakLagSeconds() {
    return local.map(l -> l.consumers().stream().mapToDouble(ConsumerPeak::peakBehindSeconds).max().orElse(0)).orElse(0.0);
  }

  /** The summary table, Markdown, so it can be pasted into a document as is. */
  String table() {
    StringBuilder b = new StringBuilder();
    b.append("| component | measure | value |\n| --- | --- | ---: |\n");
    row(b, "client", "target rate", String.format(Locale.ROOT, "%,d spans/s", targetRate));
    row(b, "client", "generated", String.format(Locale.ROOT, "%,d spans (%,.0f/s over %.1f s)", spansGenerated, generatedRate(), driveSeconds));
    row(b, "client", "dropped by the SDK's full queue", String.format(Locale.ROOT, "%,d spans", clientDropped()));
    row(b, "ingest", "accepted (200)", String.format(Locale.ROOT, "%,d spans in %,d requests, %,d traces", spansAccepted, requestsAccepted, tracesAccepted));
    row(b, "ingest", "achieved intake rate", String.format(Locale.ROOT, "%,.0f spans/s (until the last answer, %.1f s)", acceptedRate(), loadSeconds));
    row(b, "ingest", "latency p50 / p95 / p99", String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", latencyP50Ms, latencyP95Ms, latencyP99Ms));
    row(b, "ingest", "429 / 503 answers", String.format(Locale.ROOT, "%,d / %,d", tooManyRequests, unavailable));
    row(b, "ingest", "other failures / spans given up", String.format(Locale.ROOT, "%,d / %,d", otherFailures, spansGivenUp));
    local.ifPresent(l -> {
      for (ConsumerPeak c : l.consumers()) {
        row(b, c.function(), "peak lag on " + c.stream(), String.format(Locale.ROOT, "%,d records, %.1f s", c.peakRecords(), c.peakBehindSeconds()));
      }
      row(b, "tail sampling", "spans decided per second during the load", String.format(Locale.ROOT, "%,.0f", l.decidedPerSecondDuringLoad()));
      row(b, "end to end", "delay, span end to the backend, p50 / p95 / p99", String.format(Locale.ROOT, "%.1f / %.1f / %.1f s",
          l.delayP50Seconds(), l.delayP95Seconds(), l.delayP99Seconds()));
      row(b, "end to end", "delivery, trace's first span sent to its last span at the backend, p50 / p99",
          String.format(Locale.ROOT, "%.1f / %.1f s (%,d traces whole at the backend)", l.delivery().sentToLastP50(), l.delivery().sentToLastP99(),
              l.delivery().traces()));
      row(b, "end to end", "trace spread at the backend, first to last span's arrival, p50 / p99",
          String.format(Locale.ROOT, "%.1f / %.1f s", l.delivery().firstToLastP50(), l.delivery().firstToLastP99()));
      row(b, "consumers", "backlog halfway / at the end of the load", String.format(Locale.ROOT, "%,d rec, %.1f s / %,d rec, %.1f s",
          l.backlog().halfwayRecords(), l.backlog().halfwaySeconds(), l.backlog().endRecords(), l.backlog().endSeconds()));
      l.outage().ifPresent(o -> row(b, "backend", "outage (503)", String.format(Locale.ROOT, "%.0f s from %.0f s after the load's start, %,d trace requests refused",
          o.lengthSeconds(), o.startSeconds(), o.refusedTraceRequests())));
      Drain d = l.drain();
      row(b, "end to end", "every accepted span delivered or accounted for, after the load",
          d.complete() ? String.format(Locale.ROOT, "%.1f s", d.fromLoadEndSeconds())
              : String.format(Locale.ROOT, "**not within %.0f s** (gave up after %.1f s)", d.boundSeconds(), d.fromLoadEndSeconds()));
      d.fromOutageEndSeconds().ifPresent(s -> row(b, "end to end", "... after the backend was back",
          d.complete() ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "**not within %.1f s**", s)));
      MemoryWatch.Peaks m = l.memory();
      row(b, "memory", "JVM heap used, peak (sampled every " + MemoryWatch.SAMPLE_MILLIS + " ms) / sum of the heap pools' peaks / max heap",
          String.format(Locale.ROOT, "%s / %s / %s", mib(m.heapUsedSampled()), mib(m.heapPoolsPeakSum()), mib(m.heapMax())));
      row(b, "memory", "resident, peak: JVM (stack and harness)" + (m.rssPeakSinceStart() ? "" : ", since the JVM started")
          + " / kinesis-mock (" + m.children() + " child process" + (m.children() == 1 ? "" : "es") + ") / together",
          m.jvmRssPeak().isEmpty() ? "- (no /proc)" : String.format(Locale.ROOT, "%s / %s / %s", mib(m.jvmRssPeak().getAsLong()),
              mib(m.childrenRssPeak().orElse(0)), mib(m.stackRssPeak().getAsLong())));
      row(b, "loss", "accepted spans exported", String.format(Locale.ROOT, "%,d (%,d duplicates not counted)", l.spansExported(), l.duplicates()));
      row(b, "loss", "accepted spans dropped by sampling decisions (the sampler's shard states)", String.format(Locale.ROOT, "%,d", l.spansDropped()));
      row(b, "loss", "accepted spans kept in the failure destination (not at the backend)", String.format(Locale.ROOT, "%,d", l.spansInFailureDestination()));
      row(b, "loss", "spans sampled=false (otelcol_processor_tail_sampling_count_spans_sampled)", String.format(Locale.ROOT, "%,d", l.telemetrySampledOut()));
      row(b, "loss", "**unaccounted**: undecided / kept but missing at the backend", String.format(Locale.ROOT, "**%,d / %,d**", l.undecided(), l.missing()));
      l.cost().ifPresent(c -> {
        row(b, "cost", "this pipeline, per million spans", String.format(Locale.ROOT, "$%.4f", c.perMillionSpans()));
        row(b, "cost", "AWS X-Ray for the same traces, per million spans", String.format(Locale.ROOT, "$%.4f recorded, $%.4f recorded and scanned once",
            c.xrayRecordedPerMillionSpans(), c.xrayRecordedAndScannedPerMillionSpans()));
      });
    });
    return b.toString();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
  }

  private static void row(StringBuilder b, String component, String measure, String value) {
    b.append("| ").append(component).append(" | ").append(measure).append(" | ").append(value).append(" |\n");
  }
}
