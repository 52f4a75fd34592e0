package io.otelpipeline.core.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

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
  private static final int SPAN_DEPTH = 3;

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

  /** Eight bytes at a time for the ASCII check. */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NON_ASCII = 0x8080808080808080L;

  private TraceWireSchema() {}

  /**
   * Why one length-delimited field of a span, whose tag has been read and whose value is
   * {@code buf[from, to)}, would not parse, or null when it would.
   */
  public static String checkSpanField(int fieldNumber, byte[] buf, int from, int to) {
    int kind = Type.SPAN.field(fieldNumber);
    if (kind == OTHER) {
      return null;
    }
    if (kind == STRING) {
      return validUtf8(buf, from, to) ? null : "invalid UTF-8 in span field " + fieldNumber;
    }
    return check(buf, from, to, TYPES[kind], SPAN_DEPTH + 1);
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
      return walk(buf, from, to, type, depth);
    } catch (InvalidProtocolBufferException e) {
      return "malformed " + name(type) + ": " + e.getMessage();
    }
  }

  /**
   * Walks one message; {@code depth} is its nesting level in the request. One-byte tags and
   * lengths, nearly all of them in OTLP, are read in place; longer ones through {@link WireReader}.
   */
  private static String walk(byte[] buf, int from, int to, Type type, int depth) throws InvalidProtocolBufferException {
    int pos = from;
    while (pos < to) {
      int tag = buf[pos];
      if (tag > 7) {
        pos++;
      } else {
        WireReader r = new WireReader(buf, pos, to);
        tag = r.readTag();
        pos = r.position();
      }
      if ((tag & 7) != 2) {
        WireReader r = new WireReader(buf, pos, to);
        r.skipValue(tag);
        pos = r.position();
        continue;
      }
      int length;
      if (pos < to && buf[pos] >= 0) {
        length = buf[pos++];
        if (length > to - pos) {
          throw new InvalidProtocolBufferException(
              "length " + length + " at byte " + pos + " runs past the end of the message (" + (to - pos) + " bytes left)");
        }
      } else {
        WireReader r = new WireReader(buf, pos, to);
        length = r.readLength();
        pos = r.position();
      }
      int kind = type.field(tag >>> 3);
      if (kind == STRING) {
        if (!validUtf8(buf, pos, pos + length)) {
          return "invalid UTF-8 in " + name(type) + " field " + (tag >>> 3);
        }
      } else if (kind != OTHER) {
        if (depth + 1 > PARSER_RECURSION_LIMIT) {
          return "attributes nested deeper than the " + PARSER_RECURSION_LIMIT + " levels a protobuf parser accepts";
        }
        String problem = walk(buf, pos, pos + length, TYPES[kind], depth + 1);
        if (problem != null) {
          return problem;
        }
      }
      pos += length;
    }
    return null;
  }

  /** ASCII, the common case, is checked here; anything else by protobuf's own check, so both agree exactly. */
  private static boolean validUtf8(byte[] buf, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      if (((long) LONGS.get(buf, i) & NON_ASCII) != 0) {
        break;
      }
    }
    for (; i < to; i++) {
      if (buf[i] < 0) {
        return UnsafeByteOperations.unsafeWrap(buf, i, to - i).isValidUtf8();
      }
    }
    return true;
  }

  private static String name(Type type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
