package io.otelpipeline.core.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Builds spans for table-driven tests and prints exported metrics one data point a line, for golden comparisons. */
public final class TestSpans {
  public static final long T0 = 1_700_000_000_000_000_000L;

  private TestSpans() {}

  public static Resource resource(String service, String... keyValues) {
    Resource.Builder r = Resource.newBuilder();
    if (service != null) {
      r.addAttributes(kv("service.name", service));
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      r.addAttributes(kv(keyValues[i], keyValues[i + 1]));
    }
    return r.build();
  }

  public static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  /** A span with hex ids (parent may be empty), a kind, a duration in milliseconds and an error flag. */
  public static Span.Builder span(String traceHex, String spanHex, String parentHex, Span.SpanKind kind, String name, double millis, boolean error) {
    Span.Builder s =
        Span.newBuilder()
            .setTraceId(id(traceHex))
            .setSpanId(id(spanHex))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(T0)
            .setEndTimeUnixNano(T0 + Math.round(millis * 1_000_000));
    if (!parentHex.isEmpty()) {
      s.setParentSpanId(id(parentHex));
    }
    if (error) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return s;
  }

  /** One line per data point: {@code name{k=v,...} value} for sums, {@code count= sum= buckets=[..] exemplars=n} for histograms. */
  public static List<String> lines(List<ResourceMetrics> metrics) {
    List<String> out = new ArrayList<>();
    for (ResourceMetrics rm : metrics) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          switch (m.getDataCase()) {
            case SUM -> {
              for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                out.add(m.getName() + attrs(p.getAttributesList()) + " " + p.getAsInt());
              }
            }
            case HISTOGRAM -> {
              for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                out.add(m.getName() + attrs(p.getAttributesList()) + " count=" + p.getCount() + " sum=" + round(p.getSum())
                    + " buckets=" + p.getBucketCountsList() + " exemplars=" + p.getExemplarsCount());
              }
            }
            case EXPONENTIAL_HISTOGRAM -> {
              for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                out.add(m.getName() + attrs(p.getAttributesList()) + " count=" + p.getCount() + " sum=" + round(p.getSum())
                    + " scale=" + p.getScale() + " offset=" + p.getPositive().getOffset() + " buckets="
                    + p.getPositive().getBucketCountsList());
              }
            }
            default -> out.add(m.getName() + " " + m.getDataCase());
          }
        }
      }
    }
    return out;
  }

  private static String round(double v) {
    return String.format(java.util.Locale.ROOT, "%.3f", v);
  }

  private static String attrs(List<KeyValue> attributes) {
    return attributes.stream().map(kv -> kv.getKey() + "=" + value(kv.getValue())).collect(Collectors.joining(",", "{", "}"));
  }

  private static String value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      default -> v.toString().trim();
    };
  }
}
