package io.otelpipeline.core.scrape;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otelpipeline.core.scrape.exposition.ExpositionFormat;
import io.otelpipeline.core.scrape.exposition.Label;
import io.otelpipeline.core.scrape.exposition.MetricFamily;
import io.otelpipeline.core.scrape.exposition.Sample;
import io.otelpipeline.core.targets.ScrapeTarget;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts one scrape into OTLP metrics as the Collector's Prometheus receiver does: one resource
 * per target ({@code job} as {@code service.name}, {@code instance} as {@code service.instance.id}),
 * counters as cumulative monotonic sums, histograms and summaries cumulative, with start times
 * carried across scrapes by {@link SeriesState}; and per target {@code up},
 * {@code scrape_duration_seconds} and {@code scrape_samples_scraped}. Gauge histograms have no
 * OTLP equivalent and are left out, as the receiver does.
 */
public final class ExpositionToOtlp {
  public static final String SCOPE_NAME = "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";

  private ExpositionToOtlp() {}

  public static ResourceMetrics convert(ScrapeResult scrape, SeriesState state) {
    ScrapeTarget target = scrape.target();
    long scrapeMillis = scrape.start().toEpochMilli();
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME));
    Map<String, String> targetLabels = target.labels();
    int samples = 0;
    if (scrape.exposition().isPresent()) {
      ExpositionFormat format = scrape.exposition().get().format();
      for (MetricFamily family : scrape.exposition().get().families()) {
        samples += family.samples().size();
        Metric m = metric(family, format, target, scrapeMillis, state);
        if (m != null) {
          scope.addMetrics(m);
        }
      }
    }
    long nanos = scrapeMillis * 1_000_000L;
    scope.addMetrics(gauge("up", "The scraping was successful", scrape.up() ? 1 : 0, targetLabels, nanos));
    scope.addMetrics(gauge("scrape_duration_seconds", "Duration of the scrape", scrape.duration().toNanos() / 1e9, targetLabels, nanos).toBuilder().setUnit("s").build());
    scope.addMetrics(gauge("scrape_samples_scraped", "The number of samples the target exposed", samples, targetLabels, nanos));
    return ResourceMetrics.newBuilder().setResource(resource(target)).addScopeMetrics(scope).build();
  }

  static Resource resource(ScrapeTarget t) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", t.job()))
        .addAttributes(kv("service.instance.id", t.instance()))
        .addAttributes(kv("server.address", t.host()))
        .addAttributes(kv("server.port", Integer.toString(t.port())))
        .addAttributes(kv("url.scheme", t.scheme()))
        .build();
  }

  private static Metric metric(MetricFamily f, ExpositionFormat format, ScrapeTarget target, long scrapeMillis, SeriesState state) {
    if (f.samples().isEmpty()) {
      return null;
    }
    Metric.Builder m = Metric.newBuilder().setName(f.name()).setDescription(f.help()).setUnit(f.unit());
    switch (f.type()) {
      case COUNTER -> {
        if (format == ExpositionFormat.OPENMETRICS) {
          m.setName(f.name() + "_total");
        }
        m.setSum(counter(f, target, scrapeMillis, state));
      }
      case HISTOGRAM -> m.setHistogram(histogram(f, target, scrapeMillis, state));
      case SUMMARY -> m.setSummary(summary(f, target, scrapeMillis, state));
      case INFO -> {
        m.setName(f.name() + "_info");
        m.setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(false)
            .addAllDataPoints(numberPoints(f, target, scrapeMillis)));
      }
      case STATESET -> m.setSum(Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(false)
          .addAllDataPoints(numberPoints(f, target, scrapeMillis)));
      case GAUGE, UNKNOWN -> m.setGauge(Gauge.newBuilder().addAllDataPoints(numberPoints(f, target, scrapeMillis)));
      case GAUGEHISTOGRAM -> {
        return null;
      }
      default -> throw new IllegalStateException("unhandled metric type " + f.type());
    }
    return m.build();
  }

  private static List<NumberDataPoint> numberPoints(MetricFamily f, ScrapeTarget target, long scrapeMillis) {
    List<NumberDataPoint> points = new ArrayList<>(f.samples().size());
    for (Sample s : f.samples()) {
      long ts = s.timestampMillis().orElse(scrapeMillis);
      points.add(NumberDataPoint.newBuilder().setTimeUnixNano(ts * 1_000_000L).setAsDouble(s.value()).addAllAttributes(attributes(s.labels(), target)).build());
    }
    return points;
  }

  private static Sum counter(MetricFamily f, ScrapeTarget target, long scrapeMillis, SeriesState state) {
    Map<String, Double> created = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      if (s.name().endsWith("_created") && !s.name().equals(f.name())) {
        created.put(labelKey(s.labels(), null), s.value());
      }
    }
    Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(true);
    for (Sample s : f.samples()) {
      if (s.name().endsWith("_created") && !s.name().equals(f.name())) {
        continue;
      }
      long ts = s.timestampMillis().orElse(scrapeMillis);
      String key = labelKey(s.labels(), null);
      long series = seriesHash(f.name(), key);
      long start = start(state, series, s.value(), ts, created.get(key));
      NumberDataPoint.Builder p =
          NumberDataPoint.newBuilder().setStartTimeUnixNano(start * 1_000_000L).setTimeUnixNano(ts * 1_000_000L).setAsDouble(s.value()).addAllAttributes(attributes(s.labels(), target));
      s.exemplar().ifPresent(e -> p.addExemplars(exemplar(e, ts)));
      sum.addDataPoints(p);
    }
    return sum.build();
  }

  private static final class HistogramSeries {
    final List<Label> labels;
    final TreeMap<Double, Double> buckets = new TreeMap<>();
    final List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars = new ArrayList<>();
    final TreeMap<Double, Double> quantiles = new TreeMap<>();
    double count = Double.NaN;
    double sum = Double.NaN;
    Double created;
    long timestamp = -1;

    HistogramSeries(List<Label> labels) {
      this.labels = labels;
    }
  }

  private static Map<String, HistogramSeries> group(MetricFamily f, String excluded, long scrapeMillis) {
    Map<String, HistogramSeries> series = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      String key = labelKey(s.labels(), excluded);
      HistogramSeries h = series.computeIfAbsent(key, k -> new HistogramSeries(s.labels().stream().filter(l -> !l.name().equals(excluded)).toList()));
      long ts = s.timestampMillis().orElse(scrapeMillis);
      h.timestamp = Math.max(h.timestamp, ts);
      String suffix = s.name().substring(f.name().length());
      switch (suffix) {
        case "_bucket" -> {
          h.buckets.put(bound(s.label("le")), s.value());
          s.exemplar().ifPresent(e -> h.exemplars.add(exemplar(e, ts)));
        }
        case "_count" -> h.count = s.value();
        case "_sum" -> h.sum = s.value();
        case "_created" -> h.created = s.value();
        default -> h.quantiles.put(bound(s.label("quantile")), s.value());
      }
    }
    return series;
  }

  private static double bound(String text) {
    return switch (text) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static Histogram histogram(MetricFamily f, ScrapeTarget target, long scrapeMillis, SeriesState state) {
    Histogram.Builder out = Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (Map.Entry<String, HistogramSeries> e : group(f, "le", scrapeMillis).entrySet()) {
      HistogramSeries h = e.getValue();
      double count = Double.isNaN(h.count) ? h.buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0) : h.count;
      long start = start(state, seriesHash(f.name(), e.getKey()), count, h.timestamp, h.created);
      HistogramDataPoint.Builder p =
          HistogramDataPoint.newBuilder()
              .setStartTimeUnixNano(start * 1_000_000L)
              .setTimeUnixNano(h.timestamp * 1_000_000L)
              .setCount((long) count)
              .addAllAttributes(attributes(h.labels, target))
              .addAllExemplars(h.exemplars);
      if (!Double.isNaN(h.sum)) {
        p.setSum(h.sum);
      }
      double previous = 0;
      for (Map.Entry<Double, Double> b : h.buckets.entrySet()) {
        if (!b.getKey().isInfinite()) {
          p.addExplicitBounds(b.getKey());
        }
        p.addBucketCounts((long) Math.max(0, b.getValue() - previous));
        previous = b.getValue();
      }
      if (!h.buckets.containsKey(Double.POSITIVE_INFINITY)) {
        p.addBucketCounts((long) Math.max(0, count - previous));
      }
      out.addDataPoints(p);
    }
    return out.build();
  }

  private static Summary summary(MetricFamily f, ScrapeTarget target, long scrapeMillis, SeriesState state) {
    Summary.Builder out = Summary.newBuilder();
    for (Map.Entry<String, HistogramSeries> e : group(f, "quantile", scrapeMillis).entrySet()) {
      HistogramSeries h = e.getValue();
      double count = Double.isNaN(h.count) ? 0 : h.count;
      long start = start(state, seriesHash(f.name(), e.getKey()), count, h.timestamp, h.created);
      SummaryDataPoint.Builder p =
          SummaryDataPoint.newBuilder()
              .setStartTimeUnixNano(start * 1_000_000L)
              .setTimeUnixNano(h.timestamp * 1_000_000L)
              .setCount((long) count)
              .setSum(Double.isNaN(h.sum) ? 0 : h.sum)
              .addAllAttributes(attributes(h.labels, target));
      h.quantiles.forEach((q, v) -> p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(v)));
      out.addDataPoints(p);
    }
    return out.build();
  }

  private static long start(SeriesState state, long series, double value, long ts, Double createdSeconds) {
    if (createdSeconds != null && Double.isFinite(createdSeconds)) {
      long created = Math.round(createdSeconds * 1000);
      state.created(series, created, value);
      return created;
    }
    return state.startMillis(series, value, ts);
  }

  private static io.opentelemetry.proto.metrics.v1.Exemplar exemplar(io.otelpipeline.core.scrape.exposition.Exemplar e, long sampleMillis) {
    io.opentelemetry.proto.metrics.v1.Exemplar.Builder x =
        io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
            .setAsDouble(e.value())
            .setTimeUnixNano(e.timestampNanos().orElse(sampleMillis * 1_000_000L));
    for (Label l : e.labels()) {
      if (l.name().equals("trace_id") && isHex(l.value(), 32)) {
        x.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(l.value())));
      } else if (l.name().equals("span_id") && isHex(l.value(), 16)) {
        x.setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(l.value())));
      } else {
        x.addFilteredAttributes(kv(l.name(), l.value()));
      }
    }
    return x.build();
  }

  private static boolean isHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Data point attributes: the exposed labels and the target's labels. Without
   * {@code honor_labels} the target's win and a clashing exposed label is kept as
   * {@code exported_<name>}, as Prometheus does; with it, the exposed ones win.
   */
  static List<KeyValue> attributes(List<Label> exposed, ScrapeTarget target) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Label l : exposed) {
      out.put(l.name(), l.value());
    }
    Map<String, String> targetLabels = new LinkedHashMap<>(target.labels());
    if (!target.honorLabels()) {
      for (String name : List.of("job", "instance")) {
        String clash = out.remove(name);
        if (clash != null) {
          out.put("exported_" + name, clash);
        }
      }
    } else {
      out.remove("job");
      out.remove("instance");
    }
    for (Map.Entry<String, String> t : targetLabels.entrySet()) {
      String exposedValue = out.get(t.getKey());
      if (exposedValue == null) {
        out.put(t.getKey(), t.getValue());
      } else if (!target.honorLabels()) {
        out.put("exported_" + t.getKey(), exposedValue);
        out.put(t.getKey(), t.getValue());
      }
    }
    List<KeyValue> kvs = new ArrayList<>(out.size());
    out.forEach((k, v) -> kvs.add(kv(k, v)));
    return kvs;
  }

  private static Metric gauge(String name, String description, double value, Map<String, String> labels, long nanos) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(nanos).setAsDouble(value);
    labels.forEach((k, v) -> p.addAttributes(kv(k, v)));
    return Metric.newBuilder().setName(name).setDescription(description).setGauge(Gauge.newBuilder().addDataPoints(p)).build();
  }

  /** A series' identity within its family: labels sorted by name, without the bucket or quantile label. */
  private static String labelKey(List<Label> labels, String excluded) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Label l : labels) {
      if (!l.name().equals(excluded)) {
        sorted.put(l.name(), l.value());
      }
    }
    StringBuilder b = new StringBuilder();
    sorted.forEach((k, v) -> b.append(k).append('\u0000').append(v).append('\u0001'));
    return b.toString();
  }

  private static long seriesHash(String family, String labelKey) {
    long h = 0xcbf29ce484222325L;
    for (String part : new String[] {family, "\u0002", labelKey}) {
      for (int i = 0; i < part.length(); i++) {
        h ^= part.charAt(i);
        h *= 0x100000001b3L;
      }
    }
    return h;
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }
}
