package io.otelpipeline.local;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Function URL's CORS settings, which Lambda applies itself: it answers a browser's preflight
 * without invoking the function, and adds the allow headers to the function's responses to an
 * allowed origin.
 */
record UrlCors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders, int maxAgeSeconds) {
  UrlCors {
    allowOrigins = List.copyOf(allowOrigins);
    allowMethods = allowMethods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    allowHeaders = allowHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** The settings under FunctionUrlConfig.Cors, intrinsics resolved; empty when there are none. */
  static Optional<UrlCors> from(Object urlConfig, String where) {
    if (!(urlConfig instanceof Map<?, ?> url) || !(url.get("Cors") instanceof Map<?, ?> cors)) {
      return Optional.empty();
    }
    Object maxAge = cors.get("MaxAge");
    try {
      return Optional.of(new UrlCors(strings(cors.get("AllowOrigins")), strings(cors.get("AllowMethods")), strings(cors.get("AllowHeaders")),
          maxAge == null ? 0 : Integer.parseInt(String.valueOf(maxAge))));
    } catch (NumberFormatException e) {
      throw new TemplateException(where + ".Cors.MaxAge: '" + maxAge + "' is not a number of seconds");
    }
  }

  /** The value of Access-Control-Allow-Origin for a request from this origin, if it is allowed. */
  Optional<String> allowedOrigin(String origin) {
    if (origin == null) {
      return Optional.empty();
    }
    if (allowOrigins.contains("*")) {
      return Optional.of("*");
    }
    return allowOrigins.stream().filter(o -> o.equalsIgnoreCase(origin)).findFirst().map(o -> origin);
  }

  boolean allowsMethod(String method) {
    return allowMethods.contains("*") || (method != null && allowMethods.contains(method.toUpperCase(Locale.ROOT)));
  }

  private static List<String> strings(Object value) {
    return value instanceof List<?> l ? l.stream().map(String::valueOf).map(String::trim).toList() : List.of();
  }
}
