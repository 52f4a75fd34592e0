package io.otelpipeline.core.spanmetrics;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.spans.ConnectorBatch;
import io.otelpipeline.core.spans.ShardSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.exception.DimensionSetExceededException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidDimensionException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidMetricException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * RED metrics for CloudWatch, written as Embedded Metric Format in the function's log so that a
 * user with no metrics backend still gets graphs and alarms: {@code calls} and {@code errors}
 * (counts, by adjusted count) and {@code duration} (milliseconds, one value per span) by
 * {@code service.name}, {@code span.name} and {@code status.code}, and by {@code service.name}
 * alone for per-service totals and error rates.
 *
 * <p>Every distinct dimension value is a CloudWatch metric that is billed, so span names are
 * bounded: the first {@code spanNameLimit} names a function instance sees for a service keep
 * their own series, later ones are counted as {@value #OTHER}.
 */
public final class CloudWatchRedMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(CloudWatchRedMetrics.class);
  public static final String OTHER = "other";
  public static final String DEFAULT_NAMESPACE = "SpanMetrics";
  /** Span names per service before further names are counted as {@value #OTHER}. */
  public static final int DEFAULT_SPAN_NAME_LIMIT = 20;

  private final String namespace;
  private final int spanNameLimit;
  private final Environment environment;
  private final Map<String, Set<String>> spanNames = new HashMap<>();

  private CloudWatchRedMetrics(String namespace, int spanNameLimit, Environment environment) {
    this.namespace = namespace;
    this.spanNameLimit = spanNameLimit;
    this.environment = environment;
  }

  /** Writes through {@code environment}'s sink (the Lambda log, deployed). */
  public static CloudWatchRedMetrics create(String namespace, int spanNameLimit, Environment environment) {
    if (spanNameLimit < 1) {
      throw new IllegalArgumentException("span name limit must be at least 1, not " + spanNameLimit);
    }
    return new CloudWatchRedMetrics(namespace, spanNameLimit, environment);
  }

  /** The RED metrics of one batch, written only if the batch's metrics were exported. */
  public Batch newBatch() {
    return new Batch();
  }

  private static final class Red {
    long calls;
    long errors;
    final List<Double> durations = new ArrayList<>();
  }

  public final class Batch implements ConnectorBatch {
    private final Map<List<String>, Red> series = new LinkedHashMap<>();

    private Batch() {}

    @Override
    public void accept(ShardSpan span) {
      add(span.resource(), span.span(), AdjustedCount.of(span.span().getTraceState()));
    }

    /** CloudWatch is written only once the batch's metrics are handled, so a retried batch is not written twice. */
    @Override
    public void exported() {
      emit();
    }

    /** Adds one span of a resource, standing for {@code adjustedCount} spans; spans without a service are skipped. */
    public void add(Resource resource, Span span, long adjustedCount) {
      AnyValue service = SpanMetricsAggregator.attribute(resource.getAttributesList(), "service.name");
      if (service == null) {
        return;
      }
      String serviceName = service.getStringValue();
      String status = statusName(span.getStatus().getCode());
      Red red = series.computeIfAbsent(List.of(serviceName, spanName(serviceName, span.getName()), status), k -> new Red());
      red.calls += adjustedCount;
      if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
        red.errors += adjustedCount;
      }
      red.durations.add(Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6);
    }

    /** Writes one EMF document per series (more when a series holds over 100 durations). */
    public void emit() {
      for (Map.Entry<List<String>, Red> e : series.entrySet()) {
        MetricsLogger logger = new MetricsLogger(environment);
        try {
          logger.setNamespace(namespace);
          logger.setDimensions(
              DimensionSet.of("service.name", e.getKey().get(0), "span.name", e.getKey().get(1), "status.code", e.getKey().get(2)),
              DimensionSet.of("service.name", e.getKey().get(0)));
          logger.putMetric("calls", e.getValue().calls, Unit.COUNT);
          logger.putMetric("errors", e.getValue().errors, Unit.COUNT);
          for (double d : e.getValue().durations) {
            logger.putMetric("duration", d, Unit.MILLISECONDS);
          }
        } catch (InvalidNamespaceException | InvalidDimensionException | DimensionSetExceededException | InvalidMetricException invalid) {
          // A name CloudWatch refuses (empty, too long, not ASCII) must not fail the data path; say which.
          LOG.warn("span metrics EMF: cannot write series {}: {}", e.getKey(), invalid.getMessage());
          continue;
        }
        logger.flush();
      }
      series.clear();
    }
  }

  private synchronized String spanName(String service, String name) {
    Set<String> names = spanNames.computeIfAbsent(service, s -> new LinkedHashSet<>());
    if (names.contains(name)) {
      return name;
    }
    if (names.size() < spanNameLimit) {
      names.add(name);
      return name;
    }
    return OTHER;
  }

  private static String statusName(Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_OK -> "STATUS_CODE_OK";
      case STATUS_CODE_ERROR -> "STATUS_CODE_ERROR";
      default -> "STATUS_CODE_UNSET";
    };
  }
}
