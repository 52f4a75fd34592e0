package io.otelpipeline.core.auth;

/** Decides whether a request's {@code Authorization} header lets it in. */
public interface Authenticator {
  /** True when the header carries a credential this endpoint accepts. */
  boolean accepts(String authorizationHeader);

  /**
   * Lets every request in: for a Function URL with AuthType AWS_IAM, where Lambda has checked the
   * caller's SigV4 signature before the function runs.
   */
  static Authenticator delegatedToIam() {
    return header -> true;
  }
}
