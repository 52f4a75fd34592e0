package io.otelpipeline.load;

import java.io.PrintStream;

/**
 * The load harness: {@code mvn -q -pl infra-tests/load-harness exec:java
 * -Dexec.args="--rate 2000 --duration 60s"}.
 * Against a local stack it starts itself (its own OTLP sink as the backend) unless
 * {@code --endpoint URL --token T} names a deployed one; {@code --experiment} runs the scaling
 * experiment instead. Progress while it runs, a summary table and the cost at the end.
 */
public final class LoadHarness {
  private LoadHarness() {}

  public static void main(String[] args) {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.experiment()) {
      ScalingExperiment.run(options, System.out);
    } else {
      print(run(options, System.out), System.out);
    }
    System.exit(0);
  }

  /** One run as the options say, against a local stack or the deployed endpoint. */
  static LoadReport run(LoadOptions options, PrintStream out) {
    if (options.endpoint().isPresent()) {
      out.printf("load: %,d spans/s for %s against %s%n", options.rate(), options.duration(), options.endpoint().get());
      return LoadRun.deployed(options, out);
    }
    out.printf("load: %,d spans/s for %s against a local stack%n", options.rate(), options.duration());
    return LoadRun.local(options, options.rate(), options.shards(), out);
  }

  static void print(LoadReport report, PrintStream out) {
    out.println();
    out.println(report.table());
    report.local().flatMap(LoadReport.Local::cost).ifPresent(cost -> {
      out.println("Cost of this run at published us-east-1 prices");
      out.println();
      out.println(cost.toMarkdown());
    });
    if (report.local().isEmpty()) {
      out.println("Consumer lag, end-to-end delay and loss are not visible from here against a deployed stack:"
          + " see its CloudWatch dashboard (iterator age, exporter sent and failed, sampler kept and dropped).");
    }
  }
}
