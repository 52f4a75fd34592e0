package io.otelpipeline.core.spanmetrics;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.metrics.HistogramAccumulator;
import io.otelpipeline.core.metrics.HistogramSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns spans into the spanmetrics connector's series: {@code calls} (a sum), {@code duration}
 * (a histogram) and, when enabled, {@code events} (a sum), keyed by the resource and the
 * configured dimensions, each span counted by its adjusted count. Once a resource holds
 * {@code aggregation_cardinality_limit} series, further new series go to one series with the
 * single attribute {@code otel.metric.overflow=true}.
 */
public final class SpanMetricsAggregator {
  /** The instrumentation scope of the exported metrics, the Collector connector's own name. */
  public static final String SCOPE_NAME = "spanmetricsconnector";
  public static final String OVERFLOW_ATTRIBUTE = "otel.metric.overflow";

  private static final List<KeyValue> OVERFLOW_ATTRIBUTES =
      List.of(KeyValue.newBuilder().setKey(OVERFLOW_ATTRIBUTE).setValue(AnyValue.newBuilder().setBoolValue(true)).build());
  private static final String OVERFLOW_KEY = "\u0001overflow";

  private final SpanMetricsConfig config;
  private final Map<ByteString, ResourceSeries> resources = new LinkedHashMap<>();
  private long spansWithoutService;

  private SpanMetricsAggregator(SpanMetricsConfig config) {
    this.config = config;
  }

  public static SpanMetricsAggregator create(SpanMetricsConfig config) {
    return new SpanMetricsAggregator(config);
  }

  /**
   * Adds one span of a resource, standing for {@code adjustedCount} spans. Spans whose resource
   * has no {@code service.name} are skipped, as the Collector skips them, and counted in
   * {@link #spansWithoutService()}.
   */
  public void add(Resource resource, Span span, long adjustedCount) {
    ByteString resourceKey = resource.toByteString();
    ResourceSeries series = resources.get(resourceKey);
    if (series == null) {
      AnyValue service = attribute(resource.getAttributesList(), "service.name");
      if (service == null) {
        spansWithoutService++;
        return;
      }
      series = new ResourceSeries(resource);
      resources.put(resourceKey, series);
    }
    series.add(span, adjustedCount);
  }

  public long spansWithoutService() {
    return spansWithoutService;
  }

  public boolean isEmpty() {
    return resources.isEmpty();
  }

  /** How many data points {@link #toResourceMetrics} holds. */
  public int dataPointCount() {
    int points = 0;
    int perSeries = config.histogramDisabled() ? 1 : 2;
    for (ResourceSeries r : resources.values()) {
      for (Series s : r.series.values()) {
        points += perSeries + s.events.size();
      }
    }
    return points;
  }

  /** The aggregated series as OTLP metrics, one ResourceMetrics per resource, covering {@code [start, end]}. */
  public List<ResourceMetrics> toResourceMetrics(long startNanos, long endNanos) {
    List<ResourceMetrics> out = new ArrayList<>();
    for (ResourceSeries r : resources.values()) {
      out.add(r.toResourceMetrics(startNanos, endNanos));
    }
    return out;
  }

  /** Every series of the batch, for stores that keep running totals. */
  public List<SeriesView> series() {
    List<SeriesView> out = new ArrayList<>();
    for (ResourceSeries r : resources.values()) {
      for (Series s : r.series.values()) {
        out.add(new SeriesView(r.resource, s.attributes, s.calls, s.histogram, Map.copyOf(s.eventCounts())));
      }
    }
    return out;
  }

  /** One series' aggregate: calls, its duration histogram (null when disabled) and event counts by attributes. */
  public record SeriesView(
      Resource resource, List<KeyValue> attributes, long calls, HistogramAccumulator duration, Map<List<KeyValue>, Long> events) {}

  private final class ResourceSeries {
    final Resource resource;
    final Map<String, Series> series = new LinkedHashMap<>();

    ResourceSeries(Resource resource) {
      this.resource = resource;
    }

    void add(Span span, long weight) {
      StringBuilder key = new StringBuilder(64);
      List<KeyValue> attributes = new ArrayList<>(config.defaultDimensions().size() + config.dimensions().size());
      for (String name : config.defaultDimensions()) {
        AnyValue value = defaultDimension(name, resource, span);
        appendKey(key, value);
        attributes.add(KeyValue.newBuilder().setKey(name).setValue(value).build());
      }
      for (SpanMetricsConfig.Dimension d : config.dimensions()) {
        AnyValue value = attribute(span.getAttributesList(), d.name());
        if (value == null) {
          value = attribute(resource.getAttributesList(), d.name());
        }
        if (value == null && d.defaultValue().isPresent()) {
          value = AnyValue.newBuilder().setStringValue(d.defaultValue().get()).build();
        }
        if (value == null) {
          key.append('\u0002');
          continue;
        }
        appendKey(key, value);
        attributes.add(KeyValue.newBuilder().setKey(d.name()).setValue(value).build());
      }
      String k = key.toString();
      Series s = series.get(k);
      if (s == null) {
        if (config.cardinalityLimit() > 0 && series.size() >= config.cardinalityLimit()) {
          s = series.computeIfAbsent(OVERFLOW_KEY, x -> new Series(OVERFLOW_ATTRIBUTES));
        } else {
          s = new Series(List.copyOf(attributes));
          series.put(k, s);
        }
      }
      s.add(span, weight);
    }

    ResourceMetrics toResourceMetrics(long startNanos, long endNanos) {
      Metric.Builder calls = Metric.newBuilder().setName(config.metricName("calls")).setUnit("{call}");
      calls.getSumBuilder().setIsMonotonic(true).setAggregationTemporality(config.temporality().otlp());
      Metric.Builder duration = Metric.newBuilder().setName(config.metricName("duration")).setUnit(config.unit().symbol());
      if (config.histogram() instanceof HistogramSpec.Explicit) {
        duration.getHistogramBuilder().setAggregationTemporality(config.temporality().otlp());
      } else {
        duration.getExponentialHistogramBuilder().setAggregationTemporality(config.temporality().otlp());
      }
      Metric.Builder events = Metric.newBuilder().setName(config.metricName("events")).setUnit("{event}");
      events.getSumBuilder().setIsMonotonic(true).setAggregationTemporality(config.temporality().otlp());
      for (Series s : series.values()) {
        calls.getSumBuilder().addDataPoints(point(s.attributes, s.calls, startNanos, endNanos));
        if (s.histogram != null) {
          s.histogram.appendTo(duration, s.attributes, startNanos, endNanos, s.exemplars);
        }
        for (Map.Entry<List<KeyValue>, Long> e : s.eventCounts().entrySet()) {
          events.getSumBuilder().addDataPoints(point(e.getKey(), e.getValue(), startNanos, endNanos));
        }
      }
      ScopeMetrics.Builder scope =
          ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME)).addMetrics(calls);
      if (!config.histogramDisabled()) {
        scope.addMetrics(duration);
      }
      if (events.getSumBuilder().getDataPointsCount() > 0) {
        scope.addMetrics(events);
      }
      return ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope).build();
    }
  }

  private final class Series {
    final List<KeyValue> attributes;
    long calls;
    final HistogramAccumulator histogram;
    final List<Exemplar> exemplars = new ArrayList<>();
    final Map<String, EventSeries> events = new LinkedHashMap<>();

    Series(List<KeyValue> attributes) {
      this.attributes = attributes;
      this.histogram = config.histogramDisabled() ? null : config.histogram().newHistogram();
    }

    void add(Span span, long weight) {
      calls += weight;
      if (histogram != null) {
        double value = config.unit().fromNanos(Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()));
        histogram.record(value, weight);
        if (config.exemplarsEnabled() && exemplars.size() < config.exemplarsPerDataPoint()) {
          exemplars.add(
              Exemplar.newBuilder()
                  .setTraceId(span.getTraceId())
                  .setSpanId(span.getSpanId())
                  .setAsDouble(value)
                  .setTimeUnixNano(span.getEndTimeUnixNano())
                  .build());
        }
      }
      if (config.eventsEnabled()) {
        for (Span.Event event : span.getEventsList()) {
          addEvent(event, weight);
        }
      }
    }

    private void addEvent(Span.Event event, long weight) {
      StringBuilder key = new StringBuilder();
      List<KeyValue> eventAttributes = new ArrayList<>(attributes);
      for (SpanMetricsConfig.Dimension d : config.eventDimensions()) {
        AnyValue value = attribute(event.getAttributesList(), d.name());
        if (value == null && d.defaultValue().isPresent()) {
          value = AnyValue.newBuilder().setStringValue(d.defaultValue().get()).build();
        }
        if (value == null) {
          key.append('\u0002');
          continue;
        }
        appendKey(key, value);
        eventAttributes.add(KeyValue.newBuilder().setKey(d.name()).setValue(value).build());
      }
      events.computeIfAbsent(key.toString(), k -> new EventSeries(List.copyOf(eventAttributes))).count += weight;
    }

    Map<List<KeyValue>, Long> eventCounts() {
      Map<List<KeyValue>, Long> out = new LinkedHashMap<>();
      for (EventSeries e : events.values()) {
        out.put(e.attributes, e.count);
      }
      return out;
    }
  }

  private static final class EventSeries {
    final List<KeyValue> attributes;
    long count;

    EventSeries(List<KeyValue> attributes) {
      this.attributes = attributes;
    }
  }

  private static NumberDataPoint point(List<KeyValue> attributes, long value, long startNanos, long endNanos) {
    return NumberDataPoint.newBuilder()
        .addAllAttributes(attributes)
        .setStartTimeUnixNano(startNanos)
        .setTimeUnixNano(endNanos)
        .setAsInt(value)
        .build();
  }

  private static AnyValue defaultDimension(String name, Resource resource, Span span) {
    return switch (name) {
      case "service.name" -> attribute(resource.getAttributesList(), "service.name");
      case "span.name" -> string(span.getName());
      case "span.kind" -> string(span.getKind().name());
      case "status.code" -> string(statusName(span.getStatus()));
      default -> throw new IllegalStateException("not a default dimension: " + name);
    };
  }

  private static String statusName(Status status) {
    return switch (status.getCode()) {
      case STATUS_CODE_OK -> "STATUS_CODE_OK";
      case STATUS_CODE_ERROR -> "STATUS_CODE_ERROR";
      default -> "STATUS_CODE_UNSET";
    };
  }

  private static AnyValue string(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  private static void appendKey(StringBuilder key, AnyValue value) {
    key.append(value.getValueCase().getNumber()).append(':');
    switch (value.getValueCase()) {
      case STRING_VALUE -> key.append(value.getStringValue());
      case BOOL_VALUE -> key.append(value.getBoolValue());
      case INT_VALUE -> key.append(value.getIntValue());
      case DOUBLE_VALUE -> key.append(value.getDoubleValue());
      default -> key.append(value.toByteString().toStringUtf8());
    }
    key.append('\u0000');
  }
}
