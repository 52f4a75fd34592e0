package io.otelpipeline.core.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;

/** Item counts as the Collector reports them: spans, metric data points, log records. */
public final class OtlpCounts {
  private OtlpCounts() {}

  public static int spans(ExportTraceServiceRequest r) {
    int n = 0;
    for (var rs : r.getResourceSpansList()) {
      for (var ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  public static int dataPoints(ExportMetricsServiceRequest r) {
    int n = 0;
    for (var rm : r.getResourceMetricsList()) {
      for (var sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += dataPoints(m);
        }
      }
    }
    return n;
  }

  public static int dataPoints(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  public static int logRecords(ExportLogsServiceRequest r) {
    int n = 0;
    for (var rl : r.getResourceLogsList()) {
      for (var sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    return n;
  }
}
