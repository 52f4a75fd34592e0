package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml against the AWS SAM JSON schema, the check {@code sam deploy} makes first: a
 * template it would reject fails the build here. The schema is read from
 * {@code ../shared/schemas/sam.schema.json} next to the repository, or from {@code SAM_SCHEMA}.
 */
class TemplateSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    Path location = schemaLocation();
    if (!Files.isRegularFile(location)) {
      throw new IllegalStateException("the SAM JSON schema is not at " + location.toAbsolutePath().normalize()
          + "; put it there (../shared/schemas/sam.schema.json next to the repository) or point SAM_SCHEMA at it");
    }
    try (InputStream in = Files.newInputStream(location)) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
  }

  @Test
  void theTemplateIsValidForSamDeploy() throws IOException {
    Path template = ProjectDirectory.find().resolve(ProjectDirectory.TEMPLATE);
    Set<ValidationMessage> problems = validate(Files.readString(template, StandardCharsets.UTF_8));
    assertTrue(problems.isEmpty(), template + " is not a valid SAM template:\n" + describe(problems));
  }

  @Test
  void aBrokenTemplateFailsValidation() {
    String broken =
        """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Stream:
            Type: AWS::Kinesis::Stream
            Properties:
              ShardCount: 1
          Consumer:
            Type: AWS::Serverless::Function
            Properties:
              Handler: example.Consumer::handleRequest
              Runtime: java17
              CodeUri: consumer.jar
              Events:
                Records:
                  Type: Kinesis
                  Properties:
                    Stream: !GetAtt Stream.Arn
                    StartPosition: TRIM_HORIZON
        """;
    Set<ValidationMessage> problems = validate(broken);
    assertFalse(problems.isEmpty(), "a Kinesis event with the misspelt property StartPosition passed validation");
    String all = describe(problems);
    assertTrue(all.contains("StartPosition"), "the messages name the property: " + all);
  }

  @Test
  void shortFormTagsAreReadAsTheirLongForms() {
    var root = CfnYaml.parse("inline", "A: !Ref B\nC: !GetAtt D.Arn\nE: !Sub '${F}'\nG: !If [H, !Ref I, !Ref AWS::NoValue]\n");
    assertEquals(
        "{\"A\":{\"Ref\":\"B\"},\"C\":{\"Fn::GetAtt\":[\"D\",\"Arn\"]},\"E\":{\"Fn::Sub\":\"${F}\"},"
            + "\"G\":{\"Fn::If\":[\"H\",{\"Ref\":\"I\"},{\"Ref\":\"AWS::NoValue\"}]}}",
        JSON.valueToTree(root).toString());
  }

  private static Set<ValidationMessage> validate(String templateText) {
    JsonNode document = JSON.valueToTree(CfnYaml.parse("template", templateText));
    return schema.validate(document);
  }

  private static String describe(Set<ValidationMessage> problems) {
    return problems.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("\n"));
  }

  private static Path schemaLocation() {
    String configured = System.getenv("SAM_SCHEMA");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return ProjectDirectory.find().resolve("../shared/schemas/sam.schema.json");
  }
}
