package io.otelpipeline.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bearer tokens a caller may present. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so neither the content nor the length of a token leaks through
 * response timing, and every configured token is always compared.
 */
public final class BearerTokens implements Authenticator {
  private static final String PREFIX = "bearer ";

  private final List<byte[]> digests;

  private BearerTokens(List<byte[]> digests) {
    this.digests = digests;
  }

  /** Tokens from a collection; blank entries are ignored. */
  public static BearerTokens of(Collection<String> tokens) {
    List<byte[]> digests = new ArrayList<>();
    for (String t : tokens) {
      if (t != null && !t.isBlank()) {
        digests.add(sha256(t.trim()));
      }
    }
    return new BearerTokens(List.copyOf(digests));
  }

  /** Tokens from a comma-separated list, as {@code INGEST_TOKENS} holds them. */
  public static BearerTokens parse(String commaSeparated) {
    return of(commaSeparated == null ? List.of() : List.of(commaSeparated.split(",")));
  }

  public boolean isEmpty() {
    return digests.isEmpty();
  }

  /** True when the {@code Authorization} header carries one of the tokens. */
  @Override
  public boolean accepts(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.length() <= PREFIX.length()) {
      return false;
    }
    if (!authorizationHeader.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    byte[] presented = sha256(authorizationHeader.substring(PREFIX.length()).trim());
    boolean match = false;
    for (byte[] d : digests) {
      match |= MessageDigest.isEqual(d, presented);
    }
    return match;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
