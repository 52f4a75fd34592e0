package io.otelpipeline.core.scaling;

import io.otelpipeline.core.scaling.ScalingSettings.Consumer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the advisor's {@link ScalingSnapshot} from CloudWatch: the streams' write metrics
 * ({@code AWS/Kinesis}), the consumers' iterator age ({@code AWS/Lambda IteratorAge}) and the
 * pipeline's own exporter metrics (EMF, in the stack's namespace), plus current shard counts and
 * ParallelizationFactors.
 */
public final class ScalingSignalsReader {
  static final String KINESIS = "AWS/Kinesis";
  static final String LAMBDA = "AWS/Lambda";

  private final ScalingSettings settings;
  private final MetricHistory history;
  private final StreamCapacity streams;
  private final ConsumerConcurrency consumers;

  public ScalingSignalsReader(ScalingSettings settings, MetricHistory history, StreamCapacity streams, ConsumerConcurrency consumers) {
    this.settings = settings;
    this.history = history;
    this.streams = streams;
    this.consumers = consumers;
  }

  /** The queries for the window, each with an id the snapshot is assembled from. */
  List<MetricQuery> queries() {
    List<MetricQuery> q = new ArrayList<>();
    int period = (int) settings.period().toSeconds();
    for (int i = 0; i < settings.streamArns().size(); i++) {
      Map<String, String> dims = Map.of("StreamName", ScalingSettings.streamName(settings.streamArns().get(i)));
      q.add(MetricQuery.metric("s" + i + "throttled", KINESIS, "WriteProvisionedThroughputExceeded", dims, "Sum"));
      q.add(MetricQuery.metric("s" + i + "records", KINESIS, "IncomingRecords", dims, "Sum"));
      q.add(MetricQuery.metric("s" + i + "bytes", KINESIS, "IncomingBytes", dims, "Sum"));
    }
    for (int i = 0; i < settings.consumers().size(); i++) {
      Consumer c = settings.consumers().get(i);
      q.add(MetricQuery.metric("c" + i + "age", LAMBDA, "IteratorAge", Map.of("FunctionName", c.function()), "Maximum"));
      q.add(MetricQuery.pipelineSum("c" + i + "sent", settings.namespace(), "otelcol_exporter_sent_" + c.item(), c.telemetryName(), "Sum", period));
      q.add(MetricQuery.pipelineSum("c" + i + "failed", settings.namespace(), "otelcol_exporter_send_failed_" + c.item(), c.telemetryName(), "Sum", period));
      q.add(MetricQuery.pipelineSum("c" + i + "breaker", settings.namespace(), "otelcol_exporter_circuit_state", c.telemetryName(), "Maximum", period));
    }
    return q;
  }

  public ScalingSnapshot read(Instant now) {
    Map<String, MetricSeries> series = history.fetch(queries(), now.minus(settings.window()), now, settings.period());
    List<StreamSignals> streamSignals = new ArrayList<>();
    for (int i = 0; i < settings.streamArns().size(); i++) {
      String arn = settings.streamArns().get(i);
      streamSignals.add(new StreamSignals(ScalingSettings.streamName(arn), streams.openShards(arn), settings.period(),
          get(series, "s" + i + "throttled"), get(series, "s" + i + "records"), get(series, "s" + i + "bytes")));
    }
    List<ConsumerSignals> consumerSignals = new ArrayList<>();
    for (int i = 0; i < settings.consumers().size(); i++) {
      Consumer c = settings.consumers().get(i);
      consumerSignals.add(new ConsumerSignals(c.function(), ScalingSettings.streamName(c.streamArn()), c.sequential(),
          consumers.parallelizationFactor(c.function(), c.streamArn()), get(series, "c" + i + "age"), get(series, "c" + i + "sent"),
          get(series, "c" + i + "failed"), get(series, "c" + i + "breaker")));
    }
    return new ScalingSnapshot(streamSignals, consumerSignals, Optional.empty());
  }

  private static MetricSeries get(Map<String, MetricSeries> series, String id) {
    return series.getOrDefault(id, MetricSeries.empty());
  }
}
