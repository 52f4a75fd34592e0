package io.otelpipeline.core.auth;

/**
 * Decides whether a request may act as a collector: heartbeat for it, read the targets assigned to
 * it. A collector's own credential, not the registrants' tokens, so one token holder cannot take
 * targets away from the scrapers by heartbeating invented collectors or read another's targets.
 */
public interface CollectorCredentials {
  /** True when the header carries the credential of this collector. */
  boolean accepts(String collectorId, String authorizationHeader);

  /**
   * Every request the Function URL let in may act as any collector: with AuthType AWS_IAM, Lambda
   * has checked the caller's signature, and who may call is decided by IAM policy on the URL.
   */
  static CollectorCredentials delegatedToIam() {
    return (collector, header) -> true;
  }

  /** No collector may act through the API: no collector credentials are configured. */
  static CollectorCredentials none() {
    return (collector, header) -> false;
  }
}
