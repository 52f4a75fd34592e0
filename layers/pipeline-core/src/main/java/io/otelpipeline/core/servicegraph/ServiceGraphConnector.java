package io.otelpipeline.core.servicegraph;

import io.otelpipeline.core.config.ConfigException;
import io.otelpipeline.core.metrics.Temporality;
import io.otelpipeline.core.spans.ConnectorBatch;
import io.otelpipeline.core.spans.ShardSpan;
import io.otelpipeline.core.telemetry.Telemetry;
import java.time.Instant;
import java.util.List;

/**
 * The servicegraph connector: a batch's spans paired into edges through the shard's
 * {@link WaitingHalves} ({@link EdgePairing}), halves expiring as the shard's stream time moves,
 * and the edges, unpaired halves and dropped spans exported as {@link ServiceGraphMetrics}.
 *
 * <p>Pairing changes the waiting halves in place, as the shard's state holds them: they are saved
 * only with the batch, so a retry pairs again from the halves saved before.
 */
public final class ServiceGraphConnector {
  private final ServiceGraphConfig config;

  private ServiceGraphConnector(ServiceGraphConfig config) {
    this.config = config;
  }

  /**
   * Service-graph edges are made by pairs of records and by expiry, not by one record, so they
   * cannot be added to shared totals once per record: the graph says so at start rather than
   * exporting per-invocation totals labelled cumulative.
   */
  public static ServiceGraphConnector create(ServiceGraphConfig config) {
    if (config.temporality() != Temporality.DELTA) {
      throw new ConfigException(
          "connectors.servicegraph.aggregation_temporality: AGGREGATION_TEMPORALITY_CUMULATIVE is not supported for the service graph"
              + " (span metrics support it); use AGGREGATION_TEMPORALITY_DELTA (the default) and let the backend or a Collector's"
              + " deltatocumulative processor add up");
    }
    return new ServiceGraphConnector(config);
  }

  /** A batch pairing through {@code waiting}, the halves the shard's state holds. */
  public ConnectorBatch newBatch(WaitingHalves waiting) {
    return new Batch(EdgePairing.create(config, waiting));
  }

  private final class Batch implements ConnectorBatch {
    private final EdgePairing pairing;

    Batch(EdgePairing pairing) {
      this.pairing = pairing;
    }

    @Override
    public void advance(Instant streamTime) {
      pairing.expire(streamTime);
    }

    @Override
    public void accept(ShardSpan span) {
      pairing.add(span.resource(), span.span(), span.streamTime());
    }

    @Override
    public Metrics metrics(Window window) {
      ServiceGraphMetrics graph = ServiceGraphMetrics.create(config);
      graph.add(pairing.result());
      if (graph.isEmpty()) {
        return Metrics.NONE;
      }
      return new Metrics(List.of(graph.toResourceMetrics(window.startNanos(), window.endNanos())), graph.dataPointCount());
    }

    @Override
    public void saved(Telemetry telemetry) {
      EdgePairing.Result result = pairing.result();
      telemetry.count(ServiceGraphInstruments.TOTAL_EDGES, result.edges().size());
      telemetry.count(ServiceGraphInstruments.EXPIRED_EDGES, result.unpaired().size());
      telemetry.count(ServiceGraphInstruments.DROPPED_SPANS, result.droppedSpans());
    }
  }
}
