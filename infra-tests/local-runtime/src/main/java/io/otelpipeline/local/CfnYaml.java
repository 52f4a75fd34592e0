package io.otelpipeline.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template, turning the short-form intrinsic tags into their long
 * forms as CloudFormation does: {@code !Ref X} is {@code {Ref: X}}, {@code !GetAtt A.B} is
 * {@code {Fn::GetAtt: [A, B]}}, {@code !Sub ...} is {@code {Fn::Sub: ...}} and so on.
 */
public final class CfnYaml {
  /** Every short-form tag CloudFormation defines, by the name after the {@code !}. */
  static final List<String> FUNCTIONS =
      List.of(
          "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
          "Transform", "And", "Equals", "If", "Not", "Or", "Length", "ToJsonString");

  private CfnYaml() {}

  /** Parses template text; the top level must be a mapping. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String source, String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(10 * 1024 * 1024);
    Object parsed;
    try {
      parsed = new Yaml(new IntrinsicConstructor(options)).load(text);
    } catch (YAMLException e) {
      throw new TemplateException(source + ": not a valid template: " + e.getMessage());
    }
    if (!(parsed instanceof Map)) {
      throw new TemplateException(source + ": the top level must be a mapping with Resources");
    }
    return (Map<String, Object>) parsed;
  }

  private static final class IntrinsicConstructor extends SafeConstructor {
    IntrinsicConstructor(LoaderOptions options) {
      super(options);
      yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
      yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
      }
    }

    private final class LongForm extends AbstractConstruct {
      private final String key;

      LongForm(String key) {
        this.key = key;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          String text = scalar.getValue();
          if (key.equals("Fn::GetAtt")) {
            int dot = text.indexOf('.');
            if (dot < 1) {
              throw new TemplateException("line " + (node.getStartMark().getLine() + 1) + ": !GetAtt " + text + " must be Resource.Attribute");
            }
            value = List.of(text.substring(0, dot), text.substring(dot + 1));
          } else {
            value = text;
          }
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        Map<String, Object> longForm = new LinkedHashMap<>();
        longForm.put(key, value);
        return longForm;
      }
    }
  }
}
