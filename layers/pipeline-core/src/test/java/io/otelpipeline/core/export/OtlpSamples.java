package io.otelpipeline.core.export;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

/** Metric and log requests of a known shape: services as resources, a known item count. */
public final class OtlpSamples {
  private OtlpSamples() {}

  /** {@code services} resources, each with one gauge of {@code pointsPerService} points. */
  public static ExportMetricsServiceRequest metrics(int services, int pointsPerService) {
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    for (int s = 0; s < services; s++) {
      Gauge.Builder gauge = Gauge.newBuilder();
      for (int p = 0; p < pointsPerService; p++) {
        gauge.addDataPoints(
            NumberDataPoint.newBuilder()
                .setTimeUnixNano(1_700_000_000_000_000_000L + p)
                .setAsDouble(p)
                .addAttributes(attribute("point", "p" + p)));
      }
      request.addResourceMetrics(
          ResourceMetrics.newBuilder()
              .setResource(resource("service-" + s))
              .addScopeMetrics(
                  ScopeMetrics.newBuilder()
                      .setScope(InstrumentationScope.newBuilder().setName("test-scope"))
                      .addMetrics(Metric.newBuilder().setName("queue.depth").setGauge(gauge))));
    }
    return request.build();
  }

  /** {@code services} resources, each with {@code recordsPerService} log records. */
  public static ExportLogsServiceRequest logs(int services, int recordsPerService) {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    for (int s = 0; s < services; s++) {
      ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("test-scope"));
      for (int r = 0; r < recordsPerService; r++) {
        scope.addLogRecords(
            LogRecord.newBuilder()
                .setTimeUnixNano(1_700_000_000_000_000_000L + r)
                .setBody(AnyValue.newBuilder().setStringValue("service " + s + " line " + r)));
      }
      request.addResourceLogs(ResourceLogs.newBuilder().setResource(resource("service-" + s)).addScopeLogs(scope));
    }
    return request.build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(attribute("service.name", service)).build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
