package io.otelpipeline.core.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/** Metric series through GetMetricData, oldest period first. */
public final class CloudWatchMetricHistory implements MetricHistory {
  private final CloudWatchClient cloudWatch;

  public CloudWatchMetricHistory(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  @Override
  public Map<String, MetricSeries> fetch(List<MetricQuery> queries, Instant start, Instant end, Duration period) {
    GetMetricDataRequest request = request(queries, start, end, period);
    Map<String, List<Double>> values = new HashMap<>();
    for (MetricDataResult r : cloudWatch.getMetricDataPaginator(request).metricDataResults()) {
      values.computeIfAbsent(r.id(), id -> new ArrayList<>()).addAll(r.values());
    }
    Map<String, MetricSeries> out = new HashMap<>();
    values.forEach((id, v) -> out.put(id, new MetricSeries(v)));
    return out;
  }

  static GetMetricDataRequest request(List<MetricQuery> queries, Instant start, Instant end, Duration period) {
    int seconds = (int) period.toSeconds();
    List<MetricDataQuery> q = new ArrayList<>();
    for (MetricQuery m : queries) {
      if (m.isExpression()) {
        q.add(MetricDataQuery.builder().id(m.id()).expression(m.expression()).period(seconds).returnData(true).build());
      } else {
        List<Dimension> dims = m.dimensions().entrySet().stream().map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList();
        q.add(MetricDataQuery.builder()
            .id(m.id())
            .metricStat(s -> s.metric(x -> x.namespace(m.namespace()).metricName(m.metricName()).dimensions(dims)).period(seconds).stat(m.statistic()))
            .returnData(true)
            .build());
      }
    }
    return GetMetricDataRequest.builder().metricDataQueries(q).startTime(start).endTime(end).scanBy(ScanBy.TIMESTAMP_ASCENDING).build();
  }
}
