package io.otelpipeline.load.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a run cost at a {@link PriceTable}'s prices, line by line, and per million spans beside
 * what AWS X-Ray would charge to record the same traces.
 */
public record CostReport(PriceTable prices, RunUsage usage, List<Line> lines) {
  private static final double GB = 1024.0 * 1024 * 1024;
  private static final double MILLION = 1_000_000.0;

  /** One billed quantity: what, how much, at what price per unit, and the cost. */
  public record Line(String item, double quantity, String unit, double unitPrice) {
    public double cost() {
      return quantity * unitPrice;
    }
  }

  public CostReport {
    lines = List.copyOf(lines);
  }

  public static CostReport of(PriceTable prices, RunUsage usage) {
    List<Line> lines = new ArrayList<>();
    for (FunctionUsage f : usage.functions()) {
      lines.add(new Line("Lambda " + f.function() + " requests", f.invocations() / MILLION, "million requests", prices.lambdaRequestsPerMillion()));
      lines.add(new Line("Lambda " + f.function() + " compute (" + f.architecture().name().toLowerCase(Locale.ROOT) + ")",
          f.gbSeconds(), "GB-seconds", prices.lambdaGbSecond(f.architecture())));
    }
    for (StreamUsage s : usage.streams()) {
      if (s.mode() == StreamUsage.StreamMode.PROVISIONED) {
        lines.add(new Line("Kinesis " + s.stream() + " shards", s.shardHours(), "shard-hours", prices.kinesisShardHour()));
        lines.add(new Line("Kinesis " + s.stream() + " PUT payload units", s.putPayloadUnits() / MILLION, "million units",
            prices.kinesisPutPayloadUnitsPerMillion()));
      } else {
        lines.add(new Line("Kinesis " + s.stream() + " stream", s.hours(), "stream-hours", prices.kinesisOnDemandStreamHour()));
        lines.add(new Line("Kinesis " + s.stream() + " data in", s.billedBytesIn() / GB, "GB", prices.kinesisOnDemandGbIn()));
        lines.add(new Line("Kinesis " + s.stream() + " data out", s.billedBytesOut() / GB, "GB", prices.kinesisOnDemandGbOut()));
      }
    }
    lines.add(new Line("DynamoDB write request units", usage.writeRequestUnits() / MILLION, "million WRU", prices.dynamoDbWriteUnitsPerMillion()));
    lines.add(new Line("DynamoDB read request units", usage.readRequestUnits() / MILLION, "million RRU", prices.dynamoDbReadUnitsPerMillion()));
    lines.add(new Line("S3 PUT requests (shard states)", usage.objectPuts() / 1_000.0, "thousand requests", prices.s3PutRequestsPerThousand()));
    lines.add(new Line("S3 GET requests (shard states)", usage.objectGets() / 1_000.0, "thousand requests", prices.s3GetRequestsPerThousand()));
    lines.add(new Line("Export to the backend (" + usage.exportRequests() + " requests)", usage.exportedBytes() / GB, "GB out to the internet",
        prices.dataTransferOutGb()));
    return new CostReport(prices, usage, lines);
  }

  public double total() {
    return lines.stream().mapToDouble(Line::cost).sum();
  }

  public double perMillionSpans() {
    return total() / usage.spans() * MILLION;
  }

  /** What X-Ray charges to record the traces these spans belong to, per million spans. */
  public double xrayRecordedPerMillionSpans() {
    return usage.traces() * prices.xrayTracesRecordedPerMillion() / usage.spans();
  }

  /** X-Ray recording each trace and retrieving or scanning it once, per million spans. */
  public double xrayRecordedAndScannedPerMillionSpans() {
    return usage.traces() * (prices.xrayTracesRecordedPerMillion() + prices.xrayTracesScannedPerMillion()) / usage.spans();
  }

  /** The report as a Markdown table, with the price table's date and sources. */
  public String toMarkdown() {
    StringBuilder b = new StringBuilder();
    b.append("| item | quantity | unit | price (USD) | cost (USD) |\n| --- | ---: | --- | ---: | ---: |\n");
    for (Line l : lines) {
      b.append(String.format(Locale.ROOT, "| %s | %.6f | %s | %s | %.6f |%n", l.item(), l.quantity(), l.unit(), plain(l.unitPrice()), l.cost()));
    }
    b.append(String.format(Locale.ROOT, "| **total** for %,d spans in %,d traces | | | | **%.6f** |%n%n", usage.spans(), usage.traces(), total()));
    b.append(String.format(Locale.ROOT, "- this pipeline: **$%.4f per million spans**%n", perMillionSpans()));
    b.append(String.format(Locale.ROOT, "- AWS X-Ray recording the same traces: $%.4f per million spans ($%.4f if each trace is also retrieved once)%n",
        xrayRecordedPerMillionSpans(), xrayRecordedAndScannedPerMillionSpans()));
    b.append(String.format(Locale.ROOT, "- prices: %s as of %s, from %s%n", prices.region(), prices.asOf(), String.join(", ", prices.sources())));
    return b.toString();
  }

  private static String plain(double price) {
    return new java.math.BigDecimal(Double.toString(price)).stripTrailingZeros().toPlainString();
  }
}
