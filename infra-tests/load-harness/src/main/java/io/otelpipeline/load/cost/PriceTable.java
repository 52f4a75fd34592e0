package io.otelpipeline.load.cost;

import io.otelpipeline.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Published AWS prices for one region, in USD, read from one YAML file that carries its date and
 * the pages the numbers come from ({@code aws-prices-us-east-1.yaml} next to this class).
 */
public record PriceTable(
    String region,
    LocalDate asOf,
    List<String> sources,
    double lambdaGbSecondArm64,
    double lambdaGbSecondX86,
    double lambdaRequestsPerMillion,
    double kinesisShardHour,
    double kinesisPutPayloadUnitsPerMillion,
    double kinesisOnDemandStreamHour,
    double kinesisOnDemandGbIn,
    double kinesisOnDemandGbOut,
    double dynamoDbWriteUnitsPerMillion,
    double dynamoDbReadUnitsPerMillion,
    double s3PutRequestsPerThousand,
    double s3GetRequestsPerThousand,
    double dataTransferOutGb,
    double xrayTracesRecordedPerMillion,
    double xrayTracesScannedPerMillion) {
  static final String US_EAST_1 = "aws-prices-us-east-1.yaml";

  public PriceTable {
    sources = List.copyOf(sources);
  }

  /** The us-east-1 table shipped with the library. */
  public static PriceTable usEast1() {
    try (InputStream in = PriceTable.class.getResourceAsStream(US_EAST_1)) {
      if (in == null) {
        throw new IllegalStateException("price table " + US_EAST_1 + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), US_EAST_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read price table " + US_EAST_1, e);
    }
  }

  /** Parses a price table; {@code where} names the file in error messages. */
  public static PriceTable parse(String yaml, String where) {
    Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException(where + ": a price table is a YAML mapping");
    }
    Fields f = new Fields(map, where);
    Object date = f.value("as_of");
    LocalDate asOf = date instanceof java.util.Date d
        ? d.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate()
        : LocalDate.parse(String.valueOf(date));
    Object sources = f.value("sources");
    if (!(sources instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException(where + ": sources must list the pages the prices come from");
    }
    return new PriceTable(
        String.valueOf(f.value("region")),
        asOf,
        list.stream().map(String::valueOf).toList(),
        f.price("lambda.gb_second.arm64"),
        f.price("lambda.gb_second.x86_64"),
        f.price("lambda.requests_per_million"),
        f.price("kinesis.provisioned.shard_hour"),
        f.price("kinesis.provisioned.put_payload_units_per_million"),
        f.price("kinesis.on_demand.stream_hour"),
        f.price("kinesis.on_demand.gb_in"),
        f.price("kinesis.on_demand.gb_out"),
        f.price("dynamodb.on_demand.write_request_units_per_million"),
        f.price("dynamodb.on_demand.read_request_units_per_million"),
        f.price("s3.standard.put_requests_per_thousand"),
        f.price("s3.standard.get_requests_per_thousand"),
        f.price("data_transfer.out_to_internet_gb"),
        f.price("xray.traces_recorded_per_million"),
        f.price("xray.traces_retrieved_or_scanned_per_million"));
  }

  /** The price of one GB-second on the given architecture. */
  public double lambdaGbSecond(Architecture architecture) {
    return architecture == Architecture.ARM64 ? lambdaGbSecondArm64 : lambdaGbSecondX86;
  }

  private record Fields(Map<?, ?> root, String where) {
    Object value(String path) {
      Object node = root;
      for (String key : path.split("\\.")) {
        if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
          throw new ConfigException(where + ": missing key " + path);
        }
        node = m.get(key);
      }
      return node;
    }

    double price(String path) {
      Object v = value(path);
      if (!(v instanceof Number n) || n.doubleValue() < 0) {
        throw new ConfigException(where + ": " + path + " must be a non-negative number, not '" + v + "'");
      }
      return n.doubleValue();
    }
  }
}
