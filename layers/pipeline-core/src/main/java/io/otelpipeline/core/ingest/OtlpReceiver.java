package io.otelpipeline.core.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otelpipeline.core.auth.Authenticator;
import io.otelpipeline.core.export.ExporterInstruments;
import io.otelpipeline.core.otlp.OtlpJson;
import io.otelpipeline.core.otlp.Signal;
import io.otelpipeline.core.partition.Partitioned;
import io.otelpipeline.core.record.BoundedInflation;
import io.otelpipeline.core.stream.WriteOutcome;
import io.otelpipeline.core.telemetry.Telemetry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The OTLP/HTTP receiver: checks, decodes and partitions a request, writes it to the signal's
 * stream, and answers 200 only when every accepted item is in the stream. Otherwise it answers
 * 503 (429 when the stream throttled) with Retry-After so the client sends it again.
 */
public final class OtlpReceiver {
  /** Writes again after a reshard moved records off their shards; a second reshard within one request is not expected. */
  static final int MAX_REWRITES = 2;
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  private final Authenticator callers;
  private final IngestLimits limits;
  private final SignalRoutes routes;
  private final Telemetry telemetry;

  /**
   * @param callers who may call: bearer tokens, or everyone the Function URL let through (IAM)
   */
  public OtlpReceiver(Authenticator callers, IngestLimits limits, SignalRoutes routes, Telemetry telemetry) {
    this.callers = callers;
    this.limits = limits;
    this.routes = routes;
    this.telemetry = telemetry;
  }

  public IngestResponse handle(IngestRequest request) {
    String mediaType = mediaType(request.header("content-type"));
    String answerType = JSON.equals(mediaType) ? JSON : PROTOBUF;
    if (!callers.accepts(request.header("authorization"))) {
      return error(401, Code.UNAUTHENTICATED, "missing or invalid bearer token in the Authorization header", answerType,
          Map.of("WWW-Authenticate", "Bearer"));
    }
    Signal signal = Signal.fromPath(request.path());
    if (signal == null) {
      return error(404, Code.NOT_FOUND, "no OTLP endpoint at " + request.path() + ": use /v1/traces, /v1/metrics or /v1/logs",
          answerType, Map.of());
    }
    if (!"POST".equalsIgnoreCase(request.method())) {
      return error(405, Code.UNIMPLEMENTED, request.method() + " is not allowed on " + request.path() + ": OTLP/HTTP uses POST",
          answerType, Map.of("Allow", "POST"));
    }
    if (!PROTOBUF.equals(mediaType) && !JSON.equals(mediaType)) {
      return error(415, Code.INVALID_ARGUMENT, "unsupported Content-Type '" + request.header("content-type")
          + "': use application/x-protobuf or application/json", JSON, Map.of());
    }
    byte[] body = request.body() == null ? new byte[0] : request.body();
    if (body.length > limits.maxBodyBytes()) {
      return error(413, Code.RESOURCE_EXHAUSTED, "request body of " + body.length + " bytes exceeds the limit of "
          + limits.maxBodyBytes() + " bytes", answerType, Map.of());
    }
    String encoding = Optional.ofNullable(request.header("content-encoding")).orElse("identity").trim().toLowerCase(Locale.ROOT);
    try {
      body = switch (encoding) {
        case "identity", "" -> body;
        case "gzip" -> gunzip(body);
        default -> throw new UnsupportedEncoding(encoding);
      };
    } catch (UnsupportedEncoding e) {
      return error(415, Code.INVALID_ARGUMENT, "unsupported Content-Encoding '" + encoding + "': use gzip or none", answerType, Map.of());
    } catch (BoundedInflation.SizeLimitExceededException e) {
      return error(413, Code.RESOURCE_EXHAUSTED, "decompressed request exceeds the limit of " + e.limit() + " bytes", answerType, Map.of());
    } catch (IOException e) {
      return error(400, Code.INVALID_ARGUMENT, "body is not valid gzip: " + e.getMessage(), answerType, Map.of());
    }
    byte[] protobuf;
    Partitioned partitioned;
    try {
      protobuf = JSON.equals(mediaType) ? jsonToProtobuf(signal, body) : body;
      partitioned = routes.partition(signal, protobuf);
    } catch (InvalidProtocolBufferException e) {
      return error(400, Code.INVALID_ARGUMENT, "malformed " + (JSON.equals(mediaType) ? "OTLP/JSON" : "OTLP protobuf")
          + " " + signal.name().toLowerCase(Locale.ROOT) + " request: " + e.getMessage(), answerType, Map.of());
    }
    String signalName = signal.name().toLowerCase(Locale.ROOT);
    Map<String, String> receiverDims = Map.of("transport", "http", "signal", signalName);
    Map<String, String> exporterDims = Map.of("exporter", "kinesis", "signal", signalName);
    WriteOutcome outcome = routes.write(signal, partitioned.records(), request.deadline());
    for (int again = 0; signal == Signal.TRACES && outcome.complete() && outcome.recordsMisplaced() > 0 && again < MAX_REWRITES; again++) {
      // Resharded since the shard map was read: a record packs the spans of many traces for the
      // shard the map named, and it landed on a child that owns only some of them. Every trace
      // is written again where it now belongs before the request is answered; the consumers
      // skip the spans that landed outside their shard's hash keys and count a span once.
      telemetry.count(ReceiverInstruments.RECORDS_MISPLACED, outcome.recordsMisplaced(), exporterDims);
      try {
        partitioned = routes.partition(signal, protobuf);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a request that was partitioned once no longer parses", e);
      }
      outcome = routes.write(signal, partitioned.records(), request.deadline());
    }
    telemetry.count(ExporterInstruments.sent(signal), outcome.itemsWritten(), exporterDims);
    telemetry.count(ExporterInstruments.sendFailed(signal), outcome.itemsFailed(), exporterDims);
    if (!outcome.complete()) {
      telemetry.count(ReceiverInstruments.refused(signal), partitioned.acceptedItems() + partitioned.rejectedItems(), receiverDims);
      boolean throttled = outcome.throttled();
      String retryAfter = Long.toString(Math.max(1, limits.retryAfter().toSeconds()));
      return error(throttled ? 429 : 503, throttled ? Code.RESOURCE_EXHAUSTED : Code.UNAVAILABLE,
          outcome.recordsFailed() + " of " + (outcome.recordsFailed() + outcome.recordsWritten())
              + " stream records could not be written (" + outcome.lastError() + "); retry the request",
          answerType, Map.of("Retry-After", retryAfter));
    }
    telemetry.count(ReceiverInstruments.accepted(signal), partitioned.acceptedItems(), receiverDims);
    telemetry.count(ReceiverInstruments.refused(signal), partitioned.rejectedItems(), receiverDims);
    Message response = success(signal, partitioned);
    return new IngestResponse(200, answerType, encode(response, answerType), Map.of());
  }

  private byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return BoundedInflation.readAll(in, limits.maxDecompressedBytes());
    } catch (ZipException | java.io.EOFException e) {
      throw new IOException(e.getMessage() == null ? "truncated gzip stream" : e.getMessage(), e);
    }
  }

  private static byte[] jsonToProtobuf(Signal signal, byte[] json) throws InvalidProtocolBufferException {
    Message.Builder builder = switch (signal) {
      case TRACES -> ExportTraceServiceRequest.newBuilder();
      case METRICS -> ExportMetricsServiceRequest.newBuilder();
      case LOGS -> ExportLogsServiceRequest.newBuilder();
    };
    OtlpJson.merge(json, builder);
    return builder.build().toByteArray();
  }

  private static Message success(Signal signal, Partitioned p) {
    long rejected = p.rejectedItems();
    String message = p.rejectionMessage() == null ? "" : p.rejectionMessage();
    return switch (signal) {
      case TRACES -> rejected == 0 ? ExportTraceServiceResponse.getDefaultInstance()
          : ExportTraceServiceResponse.newBuilder().setPartialSuccess(
              ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message)).build();
      case METRICS -> rejected == 0 ? ExportMetricsServiceResponse.getDefaultInstance()
          : ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
              ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(message)).build();
      case LOGS -> rejected == 0 ? ExportLogsServiceResponse.getDefaultInstance()
          : ExportLogsServiceResponse.newBuilder().setPartialSuccess(
              ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected).setErrorMessage(message)).build();
    };
  }

  private static IngestResponse error(int status, Code code, String message, String contentType, Map<String, String> headers) {
    Status body = Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
    return new IngestResponse(status, contentType, encode(body, contentType), headers);
  }

  private static byte[] encode(Message message, String contentType) {
    return JSON.equals(contentType)
        ? OtlpJson.print(message).getBytes(java.nio.charset.StandardCharsets.UTF_8)
        : message.toByteArray();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static final class UnsupportedEncoding extends IOException {
    UnsupportedEncoding(String encoding) {
      super(encoding);
    }
  }
}
