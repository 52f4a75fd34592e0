package io.otelpipeline.load;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otelpipeline.load.cost.Architecture;
import io.otelpipeline.load.cost.CostReport;
import io.otelpipeline.load.cost.FunctionUsage;
import io.otelpipeline.load.cost.PriceTable;
import io.otelpipeline.load.cost.RunUsage;
import io.otelpipeline.load.cost.StreamUsage;
import io.otelpipeline.local.FunctionActivity;
import io.otelpipeline.local.LocalStack;
import io.otelpipeline.local.OtlpSink;
import io.otelpipeline.local.StreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prices a local run: every function's invocations and billed GB-seconds (durations measured
 * in-process, memory and architecture from the template), each stream's records as written
 * (PUT payload units, and shard-hours for the time the run took), DynamoDB request units as the
 * functions consumed them, and the requests and bytes exported to the sink.
 */
final class RunCost {
  private RunCost() {}

  static CostReport of(LocalStack stack, OtlpSink sink, long spans, long traces, int shards, Duration open, StateRequests.Totals units) {
    List<FunctionUsage> functions = new ArrayList<>();
    for (FunctionActivity f : stack.functionActivity()) {
      if (f.invocations() > 0) {
        functions.add(FunctionUsage.of(f.logicalId(), Architecture.of(f.architecture()), f.invocations(), f.memoryMb(), f.billed()));
      }
    }
    List<StreamUsage> streams = new ArrayList<>();
    for (StreamSpec stream : stack.template().streams()) {
      int[] sizes = StreamRecords.sizes(stack.kinesis(), stream.name());
      long consumers = stack.consumerLags().stream().filter(l -> l.stream().equals(stream.name())).count();
      streams.add(StreamUsage.ofRecords(stream.logicalId(), StreamUsage.StreamMode.PROVISIONED, shards, open, (int) consumers, Arrays.stream(sizes)));
    }
    long bytes = sink.traceRequests().stream().mapToLong(ExportTraceServiceRequest::getSerializedSize).sum()
        + sink.metricRequests().stream().mapToLong(ExportMetricsServiceRequest::getSerializedSize).sum()
        + sink.logRequests().stream().mapToLong(ExportLogsServiceRequest::getSerializedSize).sum();
    RunUsage usage = new RunUsage(spans, traces, functions, streams, units.readUnits(), units.writeUnits(), sink.requestCount(), bytes, units.objectPuts(), units.objectGets());
    return CostReport.of(PriceTable.usEast1(), usage);
  }
}
