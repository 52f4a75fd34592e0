package io.otelpipeline.core.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON as the specification defines it: protobuf's JSON mapping, except that trace and span
 * ids are hex strings rather than base64, enums are integers, and unknown fields are ignored.
 */
public final class OtlpJson {
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().printingEnumsAsInts().omittingInsignificantWhitespace();

  private OtlpJson() {}

  /** Parses OTLP/JSON into the builder; the message names what is malformed. */
  public static void merge(byte[] json, Message.Builder builder) throws InvalidProtocolBufferException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + firstLine(e.getMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidProtocolBufferException("malformed JSON: the body must be a JSON object");
    }
    rewriteIds(tree, true);
    try {
      PARSER.merge(MAPPER.writeValueAsString(tree), builder);
    } catch (JsonProcessingException e) {
      throw new InvalidProtocolBufferException("malformed JSON: " + firstLine(e.getMessage()));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidProtocolBufferException("invalid OTLP/JSON: " + firstLine(e.getMessage()));
    }
  }

  /** Prints a message as one line of OTLP/JSON (hex ids, integer enums). */
  public static String print(com.google.protobuf.MessageOrBuilder message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      rewriteIds(tree, false);
      return MAPPER.writeValueAsString(tree);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("cannot print OTLP/JSON: " + e.getMessage(), e);
    }
  }

  private static void rewriteIds(JsonNode node, boolean hexToBase64) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (ID_FIELDS.contains(f.getKey()) && f.getValue().isTextual()) {
          String v = f.getValue().asText();
          f.setValue(new TextNode(hexToBase64 ? hexToBase64(v) : base64ToHex(v)));
        } else {
          rewriteIds(f.getValue(), hexToBase64);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (JsonNode child : arr) {
        rewriteIds(child, hexToBase64);
      }
    }
  }

  /** An id that is not hex becomes empty, so the item is rejected by id validation, not the request. */
  private static String hexToBase64(String hex) {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static String base64ToHex(String b64) {
    return HexFormat.of().formatHex(Base64.getDecoder().decode(b64));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
