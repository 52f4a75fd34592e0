package io.otelpipeline.core.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;

/**
 * Checks the bytes of a span, or of a resource's or scope's own fields, against the OTLP trace
 * schema the way protobuf-java's parser will when a consumer reads them: every string field valid
 * UTF-8, every nested message well formed, and no message nested deeper than the parser's
 * recursion limit. It walks the wire format and builds nothing, so ingest can refuse what its
 * consumers could not decode at a small fraction of the cost of parsing.
 */
public final class TraceWireSchema {
  /** protobuf-java's default recursion limit, which every consumer parses with. */
  public static final int PARSER_RECURSION_LIMIT = 100;
  /** How deep a span sits in an ExportTraceServiceRequest: ResourceSpans 1, ScopeSpans 2, Span 3. */
  public static final int SPAN_DEPTH = 3;

  private static final int STRING = -1;
  private static final int OTHER = -2;

  /** The message types of the trace schema whose fields matter here. */
  private enum Type {
    RESOURCE_SPANS,
    RESOURCE,
    SCOPE_SPANS,
    SCOPE,
    SPAN,
    EVENT,
    LINK,
    STATUS,
    KEY_VALUE,
    ANY_VALUE,
    ARRAY_VALUE,
    KEY_VALUE_LIST;

    /** A string field, a nested message's type ordinal, or anything else, by field number. */
    int field(int number) {
      return switch (this) {
        case RESOURCE_SPANS -> number == 1 ? RESOURCE.ordinal() : number == 3 ? STRING : OTHER;
        case RESOURCE -> number == 1 ? KEY_VALUE.ordinal() : OTHER;
        case SCOPE_SPANS -> number == 1 ? SCOPE.ordinal() : number == 3 ? STRING : OTHER;
        case SCOPE -> number == 1 || number == 2 ? STRING : number == 3 ? KEY_VALUE.ordinal() : OTHER;
        case SPAN -> switch (number) {
          case 3, 5 -> STRING;
          case 9 -> KEY_VALUE.ordinal();
          case 11 -> EVENT.ordinal();
          case 13 -> LINK.ordinal();
          case 15 -> STATUS.ordinal();
          default -> OTHER;
        };
        case EVENT -> number == 2 ? STRING : number == 3 ? KEY_VALUE.ordinal() : OTHER;
        case LINK -> number == 3 ? STRING : number == 4 ? KEY_VALUE.ordinal() : OTHER;
        case STATUS -> number == 2 ? STRING : OTHER;
        case KEY_VALUE -> number == 1 ? STRING : number == 2 ? ANY_VALUE.ordinal() : OTHER;
        case ANY_VALUE -> switch (number) {
          case 1 -> STRING;
          case 5 -> ARRAY_VALUE.ordinal();
          case 6 -> KEY_VALUE_LIST.ordinal();
          default -> OTHER;
        };
        case ARRAY_VALUE -> number == 1 ? ANY_VALUE.ordinal() : OTHER;
        case KEY_VALUE_LIST -> number == 1 ? KEY_VALUE.ordinal() : OTHER;
      };
    }
  }

  private static final Type[] TYPES = Type.values();

  private TraceWireSchema() {}

  /** Why a span's bytes (its body, without tag and length) would not parse, or null when they would. */
  public static String checkSpan(byte[] buf, int from, int to) {
    return check(buf, from, to, Type.SPAN, SPAN_DEPTH);
  }

  /** The same for one of a ResourceSpans' own fields (resource, schema_url), given with its tag. */
  public static String checkResourceField(byte[] buf, int from, int to) {
    return check(buf, from, to, Type.RESOURCE_SPANS, 1);
  }

  /** The same for one of a ScopeSpans' own fields (scope, schema_url), given with its tag. */
  public static String checkScopeField(byte[] buf, int from, int to) {
    return check(buf, from, to, Type.SCOPE_SPANS, 2);
  }

  private static String check(byte[] buf, int from, int to, Type type, int depth) {
    try {
      return walk(buf, from, to, type, depth, type.name().toLowerCase(java.util.Locale.ROOT));
    } catch (InvalidProtocolBufferException e) {
      return "malformed " + type.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage();
    }
  }

  /** Walks one message; {@code depth} is its nesting level in the request, {@code path} names it for the message. */
  private static String walk(byte[] buf, int from, int to, Type type, int depth, String path) throws InvalidProtocolBufferException {
    WireReader r = new WireReader(buf, from, to);
    while (r.hasMore()) {
      int tag = r.readTag();
      int kind = (tag & 7) == 2 ? type.field(tag >>> 3) : OTHER;
      if (kind == OTHER) {
        r.skipValue(tag);
        continue;
      }
      int length = r.readLength();
      int at = r.position();
      if (kind == STRING) {
        if (!UnsafeByteOperations.unsafeWrap(buf, at, length).isValidUtf8()) {
          return "invalid UTF-8 in " + path + " field " + (tag >>> 3);
        }
      } else {
        Type nested = TYPES[kind];
        if (depth + 1 > PARSER_RECURSION_LIMIT) {
          return "attributes nested deeper than the " + PARSER_RECURSION_LIMIT + " levels a protobuf parser accepts";
        }
        String problem = walk(buf, at, at + length, nested, depth + 1, nested.name().toLowerCase(java.util.Locale.ROOT));
        if (problem != null) {
          return problem;
        }
      }
      r.skip(length);
    }
    return null;
  }
}
