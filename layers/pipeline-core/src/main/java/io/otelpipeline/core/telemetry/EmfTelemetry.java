package io.otelpipeline.core.telemetry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;

/**
 * CloudWatch Embedded Metric Format: counters summed over the invocation and written as one EMF
 * document per dimension set at {@link #flush()}, so the Lambda log carries the metrics without a
 * PutMetricData call. Each metric carries its instrument's unit.
 */
public final class EmfTelemetry implements Telemetry {
  private static final Logger LOG = LoggerFactory.getLogger(EmfTelemetry.class);
  private final String namespace;
  private final String function;
  private final Supplier<MetricsLogger> loggers;
  private final Map<Map<String, String>, Map<String, Double>> counters = new LinkedHashMap<>();
  private final Map<Map<String, String>, Map<String, Double>> gauges = new LinkedHashMap<>();
  private final Map<String, Unit> units = new HashMap<>();

  /** Writes where the EMF library finds its environment to be: the Lambda log, deployed. */
  public EmfTelemetry(String namespace, String function) {
    this(namespace, function, MetricsLogger::new);
  }

  /** Writes through {@code environment}'s sink. */
  EmfTelemetry(String namespace, String function, Environment environment) {
    this(namespace, function, () -> new MetricsLogger(environment));
  }

  private EmfTelemetry(String namespace, String function, Supplier<MetricsLogger> loggers) {
    this.namespace = namespace;
    this.function = function;
    this.loggers = loggers;
  }

  @Override
  public synchronized void record(Measurement measurement) {
    Instrument instrument = measurement.instrument();
    units.put(instrument.name(), instrument.unit());
    if (instrument instanceof Counter) {
      counters.computeIfAbsent(measurement.dimensions(), d -> new LinkedHashMap<>()).merge(instrument.name(), measurement.value(), Double::sum);
    } else {
      gauges.computeIfAbsent(measurement.dimensions(), d -> new LinkedHashMap<>()).put(instrument.name(), measurement.value());
    }
  }

  @Override
  public synchronized void flush() {
    write(counters);
    write(gauges);
    counters.clear();
    gauges.clear();
    units.clear();
  }

  private void write(Map<Map<String, String>, Map<String, Double>> byDimensions) {
    for (Map.Entry<Map<String, String>, Map<String, Double>> e : byDimensions.entrySet()) {
      MetricsLogger logger = loggers.get();
      try {
        logger.setNamespace(namespace);
        DimensionSet dims = DimensionSet.of(FUNCTION_DIMENSION, function);
        for (Map.Entry<String, String> d : e.getKey().entrySet()) {
          dims.addDimension(d.getKey(), d.getValue());
        }
        logger.setDimensions(dims);
        for (Map.Entry<String, Double> m : e.getValue().entrySet()) {
          logger.putMetric(m.getKey(), m.getValue(), emf(units.get(m.getKey())));
        }
      } catch (Exception invalid) {
        // A metric name or dimension EMF refuses must not fail the data path; say so in the log.
        LOG.warn("telemetry: cannot write {}: {}", e.getValue().keySet(), invalid.getMessage());
        continue;
      }
      logger.flush();
    }
  }

  private static software.amazon.cloudwatchlogs.emf.model.Unit emf(Unit unit) {
    return switch (unit) {
      case COUNT -> software.amazon.cloudwatchlogs.emf.model.Unit.COUNT;
      case SECONDS -> software.amazon.cloudwatchlogs.emf.model.Unit.SECONDS;
      case MICROSECONDS -> software.amazon.cloudwatchlogs.emf.model.Unit.MICROSECONDS;
      case NONE -> software.amazon.cloudwatchlogs.emf.model.Unit.NONE;
    };
  }
}
