package io.otelpipeline.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves CloudFormation intrinsic functions against the local resources: parameters (defaults
 * and overrides), pseudo parameters, Conditions, {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub},
 * {@code Fn::If}, {@code Fn::Join}... Anything it cannot resolve fails with the path it was found at.
 */
final class Intrinsics {
  /** What {@code !Ref AWS::NoValue} resolves to: the enclosing key or list item disappears. */
  static final Object NO_VALUE = new Object();

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private final Map<String, Object> parameters;
  private final Map<String, Object> conditions;
  private final Map<String, Object> mappings;
  private final LocalNames names;
  private final Map<String, Boolean> evaluated = new HashMap<>();

  Intrinsics(Map<String, Object> parameters, Map<String, Object> conditions, Map<String, Object> mappings, LocalNames names) {
    this.parameters = parameters;
    this.conditions = conditions;
    this.mappings = mappings;
    this.names = names;
  }

  /** Resolves every intrinsic inside {@code value}; {@code where} names its place for error messages. */
  Object resolve(Object value, String where) {
    if (value instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        String key = String.valueOf(map.keySet().iterator().next());
        if (key.equals("Ref") || key.startsWith("Fn::")) {
          return function(key, map.get(key), where);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = resolve(e.getValue(), where + "." + e.getKey());
        if (v != NO_VALUE) {
          out.put(String.valueOf(e.getKey()), v);
        }
      }
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object v = resolve(list.get(i), where + "[" + i + "]");
        if (v != NO_VALUE) {
          out.add(v);
        }
      }
      return out;
    }
    return value;
  }

  /** The value of a named condition of the template's Conditions section. */
  boolean condition(String name, String where) {
    Boolean known = evaluated.get(name);
    if (known != null) {
      return known;
    }
    if (!conditions.containsKey(name)) {
      throw new TemplateException(where + ": condition " + name + " is not declared in Conditions");
    }
    evaluated.put(name, Boolean.FALSE);
    boolean value = truth(conditions.get(name), "Conditions." + name);
    evaluated.put(name, value);
    return value;
  }

  private boolean truth(Object expression, String where) {
    if (expression instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("Condition")) {
      return condition(String.valueOf(map.get("Condition")), where);
    }
    Object value = resolve(expression, where);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new TemplateException(where + ": expected a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition), got " + value);
  }

  private Object function(String name, Object argument, String where) {
    String at = where + " (" + name + ")";
    return switch (name) {
      case "Ref" -> ref(string(resolve(argument, at), at), at);
      case "Fn::GetAtt" -> getAtt(argument, at);
      case "Fn::Sub" -> sub(argument, at);
      case "Fn::If" -> {
        List<?> args = list(argument, 3, at);
        yield condition(string(args.get(0), at), at) ? resolve(args.get(1), at) : resolve(args.get(2), at);
      }
      case "Fn::Equals" -> {
        List<?> args = list(argument, 2, at);
        yield scalar(resolve(args.get(0), at)).equals(scalar(resolve(args.get(1), at)));
      }
      case "Fn::Not" -> !truth(list(argument, 1, at).get(0), at);
      case "Fn::And" -> list(argument, -1, at).stream().allMatch(c -> truth(c, at));
      case "Fn::Or" -> list(argument, -1, at).stream().anyMatch(c -> truth(c, at));
      case "Fn::Join" -> {
        List<?> args = list(argument, 2, at);
        Object items = resolve(args.get(1), at);
        if (!(items instanceof List<?> parts)) {
          throw new TemplateException(at + ": the second argument must be a list, got " + items);
        }
        yield String.join(string(resolve(args.get(0), at), at), parts.stream().map(Intrinsics::scalar).toList());
      }
      case "Fn::Select" -> {
        List<?> args = list(argument, 2, at);
        int index = Integer.parseInt(scalar(resolve(args.get(0), at)));
        Object items = resolve(args.get(1), at);
        if (!(items instanceof List<?> parts) || index < 0 || index >= parts.size()) {
          throw new TemplateException(at + ": index " + index + " is outside " + items);
        }
        yield parts.get(index);
      }
      case "Fn::Split" -> {
        List<?> args = list(argument, 2, at);
        yield List.of(string(resolve(args.get(1), at), at).split(Pattern.quote(string(resolve(args.get(0), at), at)), -1));
      }
      case "Fn::FindInMap" -> findInMap(list(argument, 3, at), at);
      case "Fn::Base64" -> Base64.getEncoder().encodeToString(string(resolve(argument, at), at).getBytes(StandardCharsets.UTF_8));
      case "Fn::GetAZs" -> List.of(names.region() + "a", names.region() + "b", names.region() + "c");
      default -> throw new TemplateException(at + ": " + name + " cannot be resolved by the local stack");
    };
  }

  private Object ref(String target, String where) {
    switch (target) {
      case "AWS::Region":
        return names.region();
      case "AWS::AccountId":
        return names.account();
      case "AWS::StackName":
        return names.stackName();
      case "AWS::StackId":
        return "arn:aws:cloudformation:" + names.region() + ":" + names.account() + ":stack/" + names.stackName() + "/local";
      case "AWS::Partition":
        return "aws";
      case "AWS::URLSuffix":
        return "amazonaws.com";
      case "AWS::NotificationARNs":
        return List.of();
      case "AWS::NoValue":
        return NO_VALUE;
      default:
        break;
    }
    if (parameters.containsKey(target)) {
      return parameters.get(target);
    }
    return names.ref(target, where);
  }

  private Object getAtt(Object argument, String where) {
    Object resolved = resolve(argument, where);
    List<?> args;
    if (resolved instanceof String s && s.contains(".")) {
      args = List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1));
    } else {
      args = list(resolved, 2, where);
    }
    return names.getAtt(string(args.get(0), where), string(args.get(1), where), where);
  }

  private String sub(Object argument, String where) {
    String template;
    Map<?, ?> variables = Map.of();
    if (argument instanceof List<?> args) {
      list(args, 2, where);
      template = string(args.get(0), where);
      if (!(args.get(1) instanceof Map<?, ?> vars)) {
        throw new TemplateException(where + ": the second argument must be a mapping of variables");
      }
      variables = vars;
    } else {
      template = string(argument, where);
    }
    Matcher m = SUB_VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String variable = m.group(1).trim();
      String value;
      if (variable.startsWith("!")) {
        value = "${" + variable.substring(1) + "}";
      } else if (variables.containsKey(variable)) {
        value = scalar(resolve(variables.get(variable), where + "." + variable));
      } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
        value = scalar(names.getAtt(variable.substring(0, variable.indexOf('.')), variable.substring(variable.indexOf('.') + 1), where));
      } else {
        value = scalar(ref(variable, where));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Object findInMap(List<?> args, String where) {
    String map = string(resolve(args.get(0), where), where);
    String top = string(resolve(args.get(1), where), where);
    String second = string(resolve(args.get(2), where), where);
    if (mappings.get(map) instanceof Map<?, ?> m && m.get(top) instanceof Map<?, ?> t && t.containsKey(second)) {
      return t.get(second);
    }
    throw new TemplateException(where + ": Mappings." + map + "." + top + "." + second + " is not declared");
  }

  private static List<?> list(Object argument, int size, String where) {
    if (!(argument instanceof List<?> l) || (size >= 0 && l.size() != size)) {
      throw new TemplateException(where + ": expected a list of " + (size < 0 ? "conditions" : size + " arguments") + ", got " + argument);
    }
    return l;
  }

  private static String string(Object value, String where) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    throw new TemplateException(where + ": expected a string, got " + (value == NO_VALUE ? "AWS::NoValue" : value));
  }

  private static String scalar(Object value) {
    return value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(value);
  }
}
