package io.otelpipeline.core.sampling;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otelpipeline.core.consume.StreamRecord;
import io.otelpipeline.core.export.ExportResult;
import io.otelpipeline.core.export.SignalExporter;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.record.Compression;
import io.otelpipeline.core.record.RecordEnvelope;
import io.otelpipeline.core.record.Tick;
import io.otelpipeline.core.sampling.config.TailSamplingConfig;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.shardstate.MeteredShardStateStore;
import io.otelpipeline.core.shardstate.ShardStates;
import io.otelpipeline.core.stream.ShardLineage;
import io.otelpipeline.core.telemetry.Telemetry;
import io.otelpipeline.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the real sampler over metered in-memory shard states for the arrival pattern of three
 * services whose SDKs export every 5 s, decision_wait 10 s, one shard ticked every minute by the
 * schedule and by the sampler itself while traces wait, and prints the state's requests per
 * million spans, its size and its cost at list prices, for several Lambda batching windows and
 * loads (spans per second on the shard; the arguments, 100, 1000 and 10000 if none). Also checks
 * that every kept trace arrived whole and every error trace was kept.
 *
 * <pre>
 * mvn -q -pl layers/pipeline-core test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.otelpipeline.core.sampling.SamplerCostSimulation [-Dexec.args="100 1000 10000"]
 * </pre>
 */
public final class SamplerCostSimulation {
  /** On-demand prices, us-east-1, per million request units. */
  static final double WRITE_PRICE = 0.625;
  static final double READ_PRICE = 0.125;
  /** S3 Standard, us-east-1, per million PUT and per million GET requests; DELETE is free. */
  static final double PUT_PRICE = 5.0;
  static final double GET_PRICE = 0.4;
  static final String[] SERVICES = {"frontend", "cart", "checkout"};
  static final double[] EXPORT_PHASE_SECONDS = {0.7, 2.1, 4.3};
  static final double EXPORT_INTERVAL_SECONDS = 5;
  static final Duration DECISION_WAIT = Duration.ofSeconds(10);
  /** Spans per trace on average in {@link #generate}: a root and 2 to 10 spans in each of two services. */
  static final double SPANS_PER_TRACE = 13;
  static final int SECONDS = 120;

  private record SimSpan(int trace, int service, Span span, double end) {}

  private SamplerCostSimulation() {}

  public static void main(String[] args) {
    String[] loads = args.length == 0 ? new String[] {"100", "1000", "10000"} : args;
    System.out.println("| spans/s on the shard | batching window | invocations | saves (S3 PUT + fence write) / M spans | fence reads / M spans | S3 GETs | state size, mean / largest | $ per million spans | kept traces whole |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (String load : loads) {
      int tracesPerSecond = (int) Math.max(1, Math.round(Integer.parseInt(load) / SPANS_PER_TRACE));
      List<SimSpan> spans = generate(new Random(42), tracesPerSecond, SECONDS);
      String label = String.format(Locale.ROOT, "%,d (%,d traces, %,d spans over %d s)", Math.round((double) spans.size() / SECONDS),
          tracesPerSecond * SECONDS, spans.size(), SECONDS);
      for (int window : new int[] {1, 5, 10, 30}) {
        run(label, spans, window, SECONDS);
      }
    }
  }

  private static List<SimSpan> generate(Random random, int tracesPerSecond, int seconds) {
    List<SimSpan> out = new ArrayList<>();
    int traces = tracesPerSecond * seconds;
    for (int t = 0; t < traces; t++) {
      double start = random.nextDouble() * seconds;
      boolean slow = random.nextDouble() < 0.03;
      double duration = slow ? 1.5 + random.nextDouble() * 1.5 : 0.02 + random.nextDouble() * 0.78;
      boolean error = random.nextDouble() < 0.02;
      int spanNo = 0;
      out.add(span(t, 0, spanNo++, true, start, start + duration, false));
      for (int service = 1; service < SERVICES.length; service++) {
        int n = 2 + random.nextInt(9);
        for (int i = 0; i < n; i++) {
          double s = start + random.nextDouble() * duration * 0.5;
          double e = s + random.nextDouble() * (start + duration - s);
          out.add(span(t, service, spanNo++, false, s, e, error && service == 2 && i == 0));
        }
      }
    }
    return out;
  }

  private static SimSpan span(int trace, int service, int spanNo, boolean root, double start, double end, boolean error) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(traceId(trace))
            .setSpanId(ByteString.copyFrom(new byte[] {1, (byte) (trace >> 16), (byte) (trace >> 8), (byte) trace, 0, 0, (byte) (spanNo >> 8), (byte) spanNo}))
            .setName(SERVICES[service] + " op")
            .setKind(root ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano((long) (start * 1e9))
            .setEndTimeUnixNano((long) (end * 1e9))
            .addAttributes(KeyValue.newBuilder().setKey("http.route").setValue(AnyValue.newBuilder().setStringValue("/api/" + SERVICES[service] + "/items/{id}")));
    if (!root) {
      b.setParentSpanId(ByteString.copyFrom(new byte[] {1, (byte) (trace >> 16), (byte) (trace >> 8), (byte) trace, 0, 0, 0, 0}));
    }
    if (error) {
      b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    return new SimSpan(trace, service, b.build(), end);
  }

  static ByteString traceId(int trace) {
    byte[] b = new byte[16];
    new Random(trace * 31L + 7).nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private static void run(String load, List<SimSpan> spans, int windowSeconds, int seconds) {
    Instant epoch = Instant.parse("2025-01-01T00:00:00Z");
    TreeMap<Double, List<StreamRecord>> arrivals = records(spans, epoch);
    MutableClock clock = new MutableClock(epoch);
    MeteredShardStateStore store = new MeteredShardStateStore();
    Map<String, Integer> exported = new HashMap<>();
    SignalExporter exporter =
        (signal, request, count) -> {
          try {
            ExportTraceServiceRequest.parseFrom(request)
                .getResourceSpansList()
                .forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> exported.merge(TraceId.hex(s.getTraceId()), 1, Integer::sum))));
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
          return ExportResult.success();
        };
    TailSamplingConfig config = SamplerBenchmark.errorsSlowAndTenPercent(DECISION_WAIT);
    List<Instant> selfTicks = new ArrayList<>();
    TraceSampler sampler =
        TraceSampler.create(config, new ShardStates<>(store, TraceSampler.stateCodec()), ShardLineage.none(), (arn, shard) -> selfTicks.add(clock.instant()),
            exporter, (r, why) -> "discarded", Telemetry.noop(), clock);
    double last = 0;
    double end = seconds + 40;
    long sequence = 0;
    int invocations = 0;
    for (double now = windowSeconds; now <= end + 120; now += windowSeconds) {
      clock.advance(Duration.ofMillis((long) ((now - last) * 1000)));
      TreeMap<Instant, List<byte[]>> due = new TreeMap<>();
      arrivals.subMap(last, false, now, true).values().forEach(list -> list.forEach(r -> due.computeIfAbsent(r.arrival(), k -> new ArrayList<>()).add(r.data())));
      selfTicks.forEach(at -> due.computeIfAbsent(at, k -> new ArrayList<>()).add(Tick.record()));
      selfTicks.clear();
      if (Math.floor(now / 60) != Math.floor(last / 60)) {
        // the tick function's record, once a minute
        due.computeIfAbsent(clock.instant(), k -> new ArrayList<>()).add(Tick.record());
      }
      List<StreamRecord> batch = new ArrayList<>();
      for (Map.Entry<Instant, List<byte[]>> e : due.entrySet()) {
        for (byte[] data : e.getValue()) {
          batch.add(new StreamRecord("sim", "shardId-000", Long.toString(++sequence), Tick.is(data) ? Tick.PARTITION_KEY : "pk", data, e.getKey()));
        }
      }
      if (!batch.isEmpty()) {
        invocations++;
        sampler.handle(batch);
      }
      last = now;
    }
    Map<String, Integer> total = new HashMap<>();
    Set<String> errors = new HashSet<>();
    for (SimSpan s : spans) {
      String id = TraceId.hex(s.span.getTraceId());
      total.merge(id, 1, Integer::sum);
      if (s.span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
        errors.add(id);
      }
    }
    long whole = exported.entrySet().stream().filter(e -> e.getValue().equals(total.get(e.getKey()))).count();
    boolean errorsKept = exported.keySet().containsAll(errors);
    double millions = spans.size() / 1e6;
    double cost = (store.objectPuts * PUT_PRICE + store.objectGets * GET_PRICE + store.fenceWrites * WRITE_PRICE + store.fenceReads * READ_PRICE) / 1e6 / millions;
    System.out.printf(
        Locale.ROOT,
        "| %s | %d s | %d | %,.0f | %,.0f | %d | %,.0f KB / %,.0f KB | %.4f | %d of %d%s |%n",
        load,
        windowSeconds,
        invocations,
        store.objectPuts / millions,
        store.fenceReads / millions,
        store.objectGets,
        store.bytesPut / 1024.0 / Math.max(1, store.objectPuts),
        store.largestState / 1024.0,
        cost,
        whole,
        exported.size(),
        errorsKept ? ", every error trace kept" : ", ERROR TRACES MISSING");
  }

  /** Records by arrival second: one per service export, holding that export's spans. */
  private static TreeMap<Double, List<StreamRecord>> records(List<SimSpan> spans, Instant epoch) {
    Map<Double, Map<Integer, List<Span>>> exports = new TreeMap<>();
    for (SimSpan s : spans) {
      double phase = EXPORT_PHASE_SECONDS[s.service];
      double tick = phase + Math.ceil((s.end - phase) / EXPORT_INTERVAL_SECONDS) * EXPORT_INTERVAL_SECONDS;
      exports.computeIfAbsent(tick + 0.05, k -> new HashMap<>()).computeIfAbsent(s.service, k -> new ArrayList<>()).add(s.span);
    }
    TreeMap<Double, List<StreamRecord>> out = new TreeMap<>();
    long[] sequence = {0};
    exports.forEach(
        (arrival, byService) ->
            byService.forEach(
                (service, list) -> {
                  ExportTraceServiceRequest request =
                      ExportTraceServiceRequest.newBuilder()
                          .addResourceSpans(
                              ResourceSpans.newBuilder()
                                  .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(SERVICES[service]))))
                                  .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(list)))
                          .build();
                  byte[] data = RecordEnvelope.wrap(Signal.TRACES, Compression.ZSTD, list.size(), request.toByteArray()).toBytes();
                  Instant at = epoch.plusMillis((long) (arrival * 1000));
                  out.computeIfAbsent(arrival, k -> new ArrayList<>())
                      .add(new StreamRecord("sim", "shardId-000", Long.toString(++sequence[0]), "pk", data, at));
                }));
    return out;
  }
}
