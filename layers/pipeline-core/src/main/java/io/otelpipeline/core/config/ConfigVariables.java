package io.otelpipeline.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Expands references in a parsed configuration as the Collector's confmap does: within scalar
 * values only (so a commented-out line or a mapping key is never expanded), {@code ${env:VAR}} and
 * its short form {@code ${VAR}}, {@code ${env:VAR:-default}}, and {@code $$} for a literal dollar.
 * A default applies only to an unset variable (a variable set to the empty string stays empty). An
 * unset variable without a default becomes the empty string and is remembered, once, for a
 * warning that names it.
 */
final class ConfigVariables {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> environment;
  private final Set<String> unset = new TreeSet<>();

  ConfigVariables(Map<String, String> environment) {
    this.environment = environment;
  }

  /** The names of the variables that were referenced but not set, in order. */
  Set<String> unset() {
    return unset;
  }

  /** A copy of {@code tree} with every string value expanded; {@code path} names the key in errors. */
  Object expand(Object tree, String path) {
    if (tree instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, expand(v, path.isEmpty() ? String.valueOf(k) : path + "." + k)));
      return out;
    }
    if (tree instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(expand(list.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (tree instanceof String s && s.indexOf('$') >= 0) {
      return expandString(s, path);
    }
    return tree;
  }

  private String expandString(String s, String path) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
      } else if (s.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
      } else if (s.charAt(i + 1) == '{') {
        int close = s.indexOf('}', i + 2);
        if (close < 0) {
          throw new ConfigException(path + ": '" + s + "' opens ${ without a closing }");
        }
        out.append(resolve(s.substring(i + 2, close), path));
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private String resolve(String reference, String path) {
    String body = reference;
    int colon = reference.indexOf(':');
    if (colon >= 0 && !reference.startsWith(":-", colon)) {
      String scheme = reference.substring(0, colon);
      if (!scheme.equals("env")) {
        throw new ConfigException(path + ": ${" + reference + "} uses the '" + scheme
            + "' provider; only environment variables (${env:NAME} or ${NAME}) are resolved here");
      }
      body = reference.substring(colon + 1);
    }
    String name = body;
    String fallback = null;
    int dash = body.indexOf(":-");
    if (dash >= 0) {
      name = body.substring(0, dash);
      fallback = body.substring(dash + 2);
    }
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(path + ": ${" + reference + "}: '" + name + "' is not a valid environment variable name");
    }
    String value = environment.get(name);
    if (value != null) {
      return value;
    }
    if (fallback != null) {
      return fallback;
    }
    unset.add(name);
    return "";
  }
}
