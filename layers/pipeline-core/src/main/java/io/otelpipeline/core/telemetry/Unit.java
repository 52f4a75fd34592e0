package io.otelpipeline.core.telemetry;

/** What an instrument's values are measured in; each is one of CloudWatch's units in the EMF output. */
public enum Unit {
  /** How many of something: spans, records, requests, shards. */
  COUNT,
  SECONDS,
  MICROSECONDS,
  /** A value without a unit, such as a state encoded as a number. */
  NONE
}
