package io.otelpipeline.core.sampling.ottl;

import io.otelpipeline.core.config.ConfigException;

/**
 * One compiled OTTL boolean condition. The supported subset: paths {@code attributes["k"]},
 * {@code resource.attributes["k"]}, {@code name}, {@code kind}, {@code status.code},
 * {@code start_time_unix_nano}, {@code end_time_unix_nano} (and in the span event context
 * {@code span.name}, {@code span.attributes["k"]}...), the enums {@code SPAN_KIND_*} and
 * {@code STATUS_CODE_*}, literals (string, int, float, bool, nil), {@code + -} on numbers,
 * comparisons, {@code and or not}, parentheses and {@code IsMatch(value, "regex")}. Anything else
 * is refused when the condition is compiled, quoting the condition, so that no condition is ever
 * silently skipped.
 */
public final class OttlCondition {
  private final String text;
  private final OttlContext context;
  private final OttlExpression expression;

  private OttlCondition(String text, OttlContext context, OttlExpression expression) {
    this.text = text;
    this.context = context;
    this.expression = expression;
  }

  /**
   * Compiles a condition.
   *
   * @param where the config path, for the error message
   * @throws ConfigException naming {@code where} and quoting the condition when it cannot be evaluated
   */
  public static OttlCondition compile(String text, OttlContext context, String where) {
    try {
      OttlExpression e = new OttlParser(text, context).parseCondition();
      return new OttlCondition(text, context, e);
    } catch (OttlParser.SyntaxError e) {
      throw new ConfigException(where + ": cannot evaluate OTTL condition \"" + text + "\": " + e.getMessage());
    }
  }

  public boolean matches(SpanView view) {
    return Boolean.TRUE.equals(expression.evaluate(view));
  }

  public String text() {
    return text;
  }

  public OttlContext context() {
    return context;
  }

  @Override
  public String toString() {
    return context.name().toLowerCase(java.util.Locale.ROOT) + ": " + text;
  }
}
