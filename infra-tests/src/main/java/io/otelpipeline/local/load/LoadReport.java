package io.otelpipeline.local.load;

import io.otelpipeline.core.cost.CostReport;
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
      double drainSeconds,
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
      row(b, "end to end", "drained after the load in", String.format(Locale.ROOT, "%.1f s", l.drainSeconds()));
      row(b, "loss", "accepted spans exported", String.format(Locale.ROOT, "%,d (%,d duplicates not counted)", l.spansExported(), l.duplicates()));
      row(b, "loss", "accepted spans dropped by sampling decisions (decisions table)", String.format(Locale.ROOT, "%,d", l.spansDropped()));
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

  private static void row(StringBuilder b, String component, String measure, String value) {
    b.append("| ").append(component).append(" | ").append(measure).append(" | ").append(value).append(" |\n");
  }
}
