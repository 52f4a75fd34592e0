package io.otelpipeline.core.sampling.ottl;

/** A node of a compiled condition: evaluates to a String, Long, Double, Boolean or null. */
interface OttlExpression {
  Object evaluate(SpanView view);

  /** True when the node always yields a Boolean, so it may stand as a condition. */
  boolean isBoolean();
}
