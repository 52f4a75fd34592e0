package io.otelpipeline.core.telemetry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * CloudWatch Embedded Metric Format: counters summed over the invocation and written as one EMF
 * document per dimension set at {@link #flush()}, so the Lambda log carries the metrics without a
 * PutMetricData call.
 */
public final class EmfTelemetry implements Telemetry {
  private final String namespace;
  private final String function;
  private final Map<Map<String, String>, Map<String, Double>> counters = new LinkedHashMap<>();
  private final Map<Map<String, String>, Map<String, Double>> gauges = new LinkedHashMap<>();

  public EmfTelemetry(String namespace, String function) {
    this.namespace = namespace;
    this.function = function;
  }

  @Override
  public synchronized void count(String name, double value, Map<String, String> dimensions) {
    counters.computeIfAbsent(Map.copyOf(dimensions), d -> new HashMap<>()).merge(name, value, Double::sum);
  }

  @Override
  public synchronized void gauge(String name, double value, Map<String, String> dimensions) {
    gauges.computeIfAbsent(Map.copyOf(dimensions), d -> new HashMap<>()).put(name, value);
  }

  @Override
  public synchronized void flush() {
    write(counters, Unit.COUNT);
    write(gauges, Unit.NONE);
    counters.clear();
    gauges.clear();
  }

  private void write(Map<Map<String, String>, Map<String, Double>> byDimensions, Unit unit) {
    for (Map.Entry<Map<String, String>, Map<String, Double>> e : byDimensions.entrySet()) {
      MetricsLogger logger = new MetricsLogger();
      try {
        logger.setNamespace(namespace);
        DimensionSet dims = DimensionSet.of("function", function);
        for (Map.Entry<String, String> d : e.getKey().entrySet()) {
          dims.addDimension(d.getKey(), d.getValue());
        }
        logger.setDimensions(dims);
        for (Map.Entry<String, Double> m : e.getValue().entrySet()) {
          logger.putMetric(m.getKey(), m.getValue(), unit);
        }
      } catch (Exception invalid) {
        // A metric name or dimension EMF refuses must not fail the data path; say so in the log.
        System.err.println("telemetry: cannot write " + e.getValue().keySet() + ": " + invalid.getMessage());
        continue;
      }
      logger.flush();
    }
  }
}
