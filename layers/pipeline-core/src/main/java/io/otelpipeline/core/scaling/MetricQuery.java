package io.otelpipeline.core.scaling;

/**
 * One series to fetch: a plain metric ({@code namespace}, {@code metricName}, {@code dimensions}
 * and a statistic) or, when {@code expression} is set, a CloudWatch metric math expression.
 */
public record MetricQuery(String id, String namespace, String metricName, java.util.Map<String, String> dimensions, String statistic, String expression) {
  public MetricQuery {
    dimensions = java.util.Map.copyOf(dimensions);
  }

  public static MetricQuery metric(String id, String namespace, String metricName, java.util.Map<String, String> dimensions, String statistic) {
    return new MetricQuery(id, namespace, metricName, dimensions, statistic, "");
  }

  /**
   * The sum over every dimension set of an EMF metric of one function: the pipeline's functions
   * write the same metric with different extra dimensions ({@code exporter}, {@code signal}...).
   */
  public static MetricQuery pipelineSum(String id, String namespace, String metricName, String function, String statistic, int periodSeconds) {
    String search = String.format("SEARCH('Namespace=\"%s\" MetricName=\"%s\" function=\"%s\"', '%s', %d)",
        namespace, metricName, function, statistic, periodSeconds);
    return new MetricQuery(id, namespace, metricName, java.util.Map.of(), statistic, ("Maximum".equals(statistic) ? "MAX(" : "SUM(") + search + ")");
  }

  public boolean isExpression() {
    return !expression.isEmpty();
  }
}
