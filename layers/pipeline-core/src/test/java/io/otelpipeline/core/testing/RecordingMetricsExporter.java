package io.otelpipeline.core.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import java.util.ArrayList;
import java.util.List;

/** A backend for consumer tests: answers what {@link #answer} says and keeps what it accepted. */
public final class RecordingMetricsExporter implements SignalExporter {
  public final List<ExportMetricsServiceRequest> exported = new ArrayList<>();
  public ExportResult answer = ExportResult.success();
  /** Runs during the next export, before it is answered (another invocation racing this one), then is cleared. */
  public Runnable whileExporting = () -> {};

  @Override
  public ExportResult export(Signal signal, byte[] otlpRequest, int itemCount) {
    Runnable during = whileExporting;
    whileExporting = () -> {};
    during.run();
    if (answer.succeeded()) {
      try {
        exported.add(ExportMetricsServiceRequest.parseFrom(otlpRequest));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the consumer exported bytes that are not an OTLP metrics request", e);
      }
    }
    return answer;
  }
}
