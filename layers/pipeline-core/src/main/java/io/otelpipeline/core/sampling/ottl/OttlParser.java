package io.otelpipeline.core.sampling.ottl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser for the OTTL condition subset described on {@link OttlCondition}.
 *
 * <pre>
 * condition  := or
 * or         := and ("or" and)*
 * and        := not ("and" not)*
 * not        := "not" not | comparison
 * comparison := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
 * sum        := primary (("+" | "-") primary)*
 * primary    := literal | enum | path | "IsMatch" "(" sum "," string ")" | "(" or ")"
 * </pre>
 */
final class OttlParser {
  static final class SyntaxError extends Exception {
    SyntaxError(String message) {
      super(message);
    }
  }

  private static final Map<String, Long> ENUMS =
      Map.ofEntries(
          Map.entry("SPAN_KIND_UNSPECIFIED", 0L),
          Map.entry("SPAN_KIND_INTERNAL", 1L),
          Map.entry("SPAN_KIND_SERVER", 2L),
          Map.entry("SPAN_KIND_CLIENT", 3L),
          Map.entry("SPAN_KIND_PRODUCER", 4L),
          Map.entry("SPAN_KIND_CONSUMER", 5L),
          Map.entry("STATUS_CODE_UNSET", 0L),
          Map.entry("STATUS_CODE_OK", 1L),
          Map.entry("STATUS_CODE_ERROR", 2L));

  private record Token(String kind, String text, int at) {}

  private final String source;
  private final OttlContext context;
  private final List<Token> tokens;
  private int next;

  OttlParser(String source, OttlContext context) throws SyntaxError {
    this.source = source;
    this.context = context;
    this.tokens = tokenize(source);
  }

  OttlExpression parseCondition() throws SyntaxError {
    if (tokens.size() == 1) {
      throw new SyntaxError("the condition is empty");
    }
    OttlExpression e = or();
    if (!peek("end")) {
      throw error("unexpected '" + current().text + "'");
    }
    if (!e.isBoolean()) {
      throw new SyntaxError("it is a value, not a condition (compare it, e.g. == \"x\")");
    }
    return e;
  }

  private OttlExpression or() throws SyntaxError {
    OttlExpression left = and();
    while (acceptWord("or")) {
      OttlExpression l = requireBoolean(left, "or");
      OttlExpression r = requireBoolean(and(), "or");
      left = bool(v -> Boolean.TRUE.equals(l.evaluate(v)) || Boolean.TRUE.equals(r.evaluate(v)));
    }
    return left;
  }

  private OttlExpression and() throws SyntaxError {
    OttlExpression left = not();
    while (acceptWord("and")) {
      OttlExpression l = requireBoolean(left, "and");
      OttlExpression r = requireBoolean(not(), "and");
      left = bool(v -> Boolean.TRUE.equals(l.evaluate(v)) && Boolean.TRUE.equals(r.evaluate(v)));
    }
    return left;
  }

  private OttlExpression not() throws SyntaxError {
    if (acceptWord("not")) {
      OttlExpression inner = requireBoolean(not(), "not");
      return bool(v -> !Boolean.TRUE.equals(inner.evaluate(v)));
    }
    return comparison();
  }

  private OttlExpression comparison() throws SyntaxError {
    OttlExpression left = sum();
    if (peek("op")) {
      String op = tokens.get(next++).text;
      OttlExpression right = sum();
      return bool(v -> compare(op, left.evaluate(v), right.evaluate(v)));
    }
    return left;
  }

  private OttlExpression sum() throws SyntaxError {
    OttlExpression left = primary();
    while (peek("+") || peek("-")) {
      boolean plus = tokens.get(next++).kind.equals("+");
      OttlExpression l = left;
      OttlExpression r = primary();
      left = value(v -> arithmetic(plus, l.evaluate(v), r.evaluate(v)));
    }
    return left;
  }

  private OttlExpression primary() throws SyntaxError {
    Token t = current();
    switch (t.kind) {
      case "string" -> {
        next++;
        String s = t.text;
        return value(v -> s);
      }
      case "int" -> {
        next++;
        long n = Long.parseLong(t.text);
        return value(v -> n);
      }
      case "float" -> {
        next++;
        double d = Double.parseDouble(t.text);
        return value(v -> d);
      }
      case "(" -> {
        next++;
        OttlExpression inner = or();
        expect(")");
        return inner;
      }
      case "word" -> {
        return word();
      }
      default -> throw error("expected a value, found '" + t.text + "'");
    }
  }

  private OttlExpression word() throws SyntaxError {
    Token t = tokens.get(next++);
    String w = t.text;
    switch (w) {
      case "true", "false" -> {
        boolean b = Boolean.parseBoolean(w);
        return bool(v -> b);
      }
      case "nil" -> {
        return value(v -> null);
      }
      case "IsMatch" -> {
        return isMatch();
      }
      default -> {
        if (ENUMS.containsKey(w)) {
          long n = ENUMS.get(w);
          return value(v -> n);
        }
        if (peek("(")) {
          throw new SyntaxError("function " + w + " is not supported (only IsMatch)");
        }
        return path(w);
      }
    }
  }

  private OttlExpression isMatch() throws SyntaxError {
    expect("(");
    OttlExpression target = sum();
    expect(",");
    Token pattern = current();
    if (!pattern.kind.equals("string")) {
      throw error("IsMatch takes a string literal pattern");
    }
    next++;
    expect(")");
    Pattern regex;
    try {
      regex = Pattern.compile(pattern.text);
    } catch (PatternSyntaxException e) {
      throw new SyntaxError("IsMatch pattern \"" + pattern.text + "\" is not a valid regular expression: " + e.getDescription());
    }
    return bool(
        v -> {
          Object x = target.evaluate(v);
          return x != null && regex.matcher(String.valueOf(x)).find();
        });
  }

  private OttlExpression path(String first) throws SyntaxError {
    StringBuilder p = new StringBuilder(first);
    while (accept(".")) {
      Token t = current();
      if (!t.kind.equals("word")) {
        throw error("expected a field name after '.'");
      }
      next++;
      p.append('.').append(t.text);
    }
    String key = null;
    if (accept("[")) {
      Token k = current();
      if (!k.kind.equals("string")) {
        throw error("map keys are written as strings: attributes[\"key\"]");
      }
      next++;
      key = k.text;
      expect("]");
    }
    return resolve(p.toString(), key);
  }

  private OttlExpression resolve(String path, String key) throws SyntaxError {
    String field = context == OttlContext.SPANEVENT && path.startsWith("span.") ? path.substring(5) : path;
    boolean onSpan = context == OttlContext.SPAN || path.startsWith("span.");
    if (key != null) {
      return switch (field) {
        case "attributes" ->
            onSpan
                ? value(v -> SpanView.attribute(v.span().getAttributesList(), key))
                : value(v -> SpanView.attribute(v.event().getAttributesList(), key));
        case "resource.attributes" -> value(v -> SpanView.attribute(v.resource().getAttributesList(), key));
        default -> throw new SyntaxError("path " + path + "[\"" + key + "\"] is not supported in the " + contextName() + " context");
      };
    }
    if (!onSpan) {
      return switch (field) {
        case "name" -> value(v -> v.event().getName());
        case "time_unix_nano" -> value(v -> v.event().getTimeUnixNano());
        default -> throw unsupported(path);
      };
    }
    return switch (field) {
      case "name" -> value(v -> v.span().getName());
      case "kind" -> value(v -> (long) v.span().getKindValue());
      case "status.code" -> value(v -> (long) v.span().getStatus().getCodeValue());
      case "status.message" -> value(v -> v.span().getStatus().getMessage());
      case "start_time_unix_nano" -> value(v -> v.span().getStartTimeUnixNano());
      case "end_time_unix_nano" -> value(v -> v.span().getEndTimeUnixNano());
      case "trace_state" -> value(v -> v.span().getTraceState());
      default -> throw unsupported(path);
    };
  }

  private SyntaxError unsupported(String path) {
    return new SyntaxError("path " + path + " is not supported in the " + contextName() + " context");
  }

  private String contextName() {
    return context.name().toLowerCase(Locale.ROOT);
  }

  private static Object compare(String op, Object a, Object b) {
    if (op.equals("==") || op.equals("!=")) {
      boolean eq = equal(a, b);
      return op.equals("==") == eq;
    }
    int c;
    if (a instanceof Number x && b instanceof Number y) {
      c = (x instanceof Long && y instanceof Long) ? Long.compare(x.longValue(), y.longValue()) : Double.compare(x.doubleValue(), y.doubleValue());
    } else if (a instanceof String x && b instanceof String y) {
      c = x.compareTo(y);
    } else {
      return false;
    }
    return switch (op) {
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }

  private static boolean equal(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return (x instanceof Long && y instanceof Long) ? x.longValue() == y.longValue() : x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  private static Object arithmetic(boolean plus, Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return plus ? x + y : x - y;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return plus ? x.doubleValue() + y.doubleValue() : x.doubleValue() - y.doubleValue();
    }
    return null;
  }

  private static OttlExpression requireBoolean(OttlExpression e, String operator) throws SyntaxError {
    if (!e.isBoolean()) {
      throw new SyntaxError("'" + operator + "' needs conditions on both sides, not values");
    }
    return e;
  }

  private static OttlExpression bool(Function<SpanView, Object> f) {
    return new Node(f, true);
  }

  private static OttlExpression value(Function<SpanView, Object> f) {
    return new Node(f, false);
  }

  private record Node(Function<SpanView, Object> f, boolean isBoolean) implements OttlExpression {
    @Override
    public Object evaluate(SpanView view) {
      return f.apply(view);
    }
  }

  private Token current() {
    return tokens.get(next);
  }

  private boolean peek(String kind) {
    return current().kind.equals(kind);
  }

  private boolean accept(String kind) {
    if (peek(kind)) {
      next++;
      return true;
    }
    return false;
  }

  private boolean acceptWord(String word) {
    if (peek("word") && current().text.equals(word)) {
      next++;
      return true;
    }
    return false;
  }

  private void expect(String kind) throws SyntaxError {
    if (!accept(kind)) {
      throw error("expected '" + kind + "' but found '" + current().text + "'");
    }
  }

  private SyntaxError error(String message) {
    return new SyntaxError(message + " at character " + (current().at + 1));
  }

  private static List<Token> tokenize(String s) throws SyntaxError {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        int start = i++;
        while (i < s.length() && s.charAt(i) != '"') {
          char ch = s.charAt(i++);
          if (ch == '\\' && i < s.length()) {
            char esc = s.charAt(i++);
            b.append(
                switch (esc) {
                  case 'n' -> '\n';
                  case 't' -> '\t';
                  default -> esc;
                });
          } else {
            b.append(ch);
          }
        }
        if (i >= s.length()) {
          throw new SyntaxError("unterminated string starting at character " + (start + 1));
        }
        i++;
        out.add(new Token("string", b.toString(), start));
      } else if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)) && numberMayStart(out))) {
        int start = i++;
        boolean isFloat = false;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          isFloat |= s.charAt(i) == '.';
          i++;
        }
        out.add(new Token(isFloat ? "float" : "int", s.substring(start, i), start));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        out.add(new Token("word", s.substring(start, i), start));
      } else if ("=!<>".indexOf(c) >= 0) {
        int start = i;
        String op = i + 1 < s.length() && s.charAt(i + 1) == '=' ? s.substring(i, i + 2) : String.valueOf(c);
        if (op.equals("=") || op.equals("!")) {
          throw new SyntaxError("'" + op + "' at character " + (start + 1) + " is not an operator (use == or !=)");
        }
        i += op.length();
        out.add(new Token("op", op, start));
      } else if ("()[],.+-".indexOf(c) >= 0) {
        out.add(new Token(String.valueOf(c), String.valueOf(c), i++));
      } else {
        throw new SyntaxError("unexpected character '" + c + "' at character " + (i + 1));
      }
    }
    out.add(new Token("end", "end of condition", s.length()));
    return out;
  }

  /** A '-' starts a negative number unless it follows a value, where it is subtraction. */
  private static boolean numberMayStart(List<Token> sofar) {
    if (sofar.isEmpty()) {
      return true;
    }
    String k = sofar.get(sofar.size() - 1).kind;
    return !(k.equals("int") || k.equals("float") || k.equals("string") || k.equals("word") || k.equals(")") || k.equals("]"));
  }
}
