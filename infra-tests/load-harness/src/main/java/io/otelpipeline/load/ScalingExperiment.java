package io.otelpipeline.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The scaling experiment: the load at rising rates against fresh local stacks with 1, 2 and 4
 * shards per stream. Writes {@code results.md} (one row per run) and two charts against offered
 * load, one line per shard count: {@code throughput.png} (spans accepted per second, and the
 * offered load as a reference line) and {@code lag.png} (the consumers' peak lag in seconds).
 */
final class ScalingExperiment {
  private ScalingExperiment() {}

  static List<LoadReport> run(LoadOptions options, PrintStream out) {
    Path folder = options.output().toAbsolutePath();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
    }
    out.println("scaling experiment: rates " + options.experimentRates() + " spans/s x shards " + options.experimentShards()
        + ", " + options.duration().toSeconds() + " s each; results in " + folder);
    List<LoadReport> reports = new ArrayList<>();
    for (int shards : options.experimentShards()) {
      for (int rate : options.experimentRates()) {
        out.printf(Locale.ROOT, "%n== %d shard%s per stream, %,d spans/s ==%n", shards, shards == 1 ? "" : "s", rate);
        LoadReport report = LoadRun.local(options, rate, shards, out);
        reports.add(report);
        out.println(summaryRow(report));
      }
    }
    write(folder, options, reports);
    out.println();
    out.println(table(reports));
    out.println("table and charts written to " + folder);
    return reports;
  }

  static void write(Path folder, LoadOptions options, List<LoadReport> reports) {
    String markdown = "# Scaling experiment\n\n"
        + "Offered load against local stacks with " + options.experimentShards() + " shards per stream, "
        + options.duration().toSeconds() + " s per run, tail sampling as the harness configures it.\n\n"
        + table(reports) + "\n![throughput](throughput.png)\n\n![lag](lag.png)\n";
    List<LineChart.Series> throughput = new ArrayList<>();
    List<LineChart.Series> lag = new ArrayList<>();
    for (int shards : options.experimentShards()) {
      List<LoadReport> runs = reports.stream().filter(r -> r.shards() == shards).toList();
      String name = shards + " shard" + (shards == 1 ? "" : "s") + " per stream";
      throughput.add(new LineChart.Series(name, runs.stream().map(r -> new double[] {r.targetRate(), r.acceptedRate()}).toList(), false));
      lag.add(new LineChart.Series(name, runs.stream().map(r -> new double[] {r.targetRate(), r.peakLagSeconds()}).toList(), false));
    }
    throughput.add(new LineChart.Series("offered load", options.experimentRates().stream().map(r -> new double[] {r, r}).toList(), true));
    try {
      Files.writeString(folder.resolve("results.md"), markdown);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder.resolve("results.md") + ": " + e.getMessage(), e);
    }
    new LineChart("Intake throughput against offered load", "offered load (spans/s)", "accepted by ingest (spans/s)", throughput)
        .write(folder.resolve("throughput.png"));
    new LineChart("Consumer lag against offered load", "offered load (spans/s)", "peak consumer lag (s)", lag).write(folder.resolve("lag.png"));
  }

  static String table(List<LoadReport> reports) {
    StringBuilder b = new StringBuilder();
    b.append("| shards | offered (spans/s) | accepted (spans/s) | ingest p50 / p99 (ms) | 429 / 503 | sampler decided during load (spans/s)"
        + " | peak lag (s) | end-to-end p50 / p99 (s) | unaccounted | $ per million spans |\n");
    b.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (LoadReport r : reports) {
      b.append(summaryRow(r)).append('\n');
    }
    return b.toString();
  }

  private static String summaryRow(LoadReport r) {
    LoadReport.Local l = r.local().orElseThrow();
    return String.format(Locale.ROOT, "| %d | %,d | %,.0f | %.0f / %.0f | %d / %d | %,.0f | %.1f | %.1f / %.1f | %,d | %s |",
        r.shards(), r.targetRate(), r.acceptedRate(), r.latencyP50Ms(), r.latencyP99Ms(), r.tooManyRequests(), r.unavailable(),
        l.decidedPerSecondDuringLoad(), r.peakLagSeconds(), l.delayP50Seconds(), l.delayP99Seconds(), l.unaccounted(),
        l.cost().map(c -> String.format(Locale.ROOT, "%.4f", c.perMillionSpans())).orElse("-"));
  }
}
