package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml through AWS's own tools: cfn-lint, and the SAM translator's transform (what
 * {@code sam deploy} has CloudFormation run). Then the transformed template, resolved for each
 * auth mode, is checked for what a deployed user depends on: the public URL permissions, the alias
 * the ingest URL targets, the event source mappings' settings, and each role's actions against the
 * calls its function's code makes.
 *
 * <p>Both tools are Python packages ({@code pip install cfn-lint aws-sam-translator}). Without them
 * this test is skipped, saying so; with {@code REQUIRE_AWS_TEMPLATE_TOOLS=true}, as {@code .ci/run}
 * sets, it fails instead.
 */
class AwsTemplateToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PYTHON = System.getenv().getOrDefault("PYTHON", "python3");
  private static final Map<String, String> TOKEN = Map.of("AuthMode", "TOKEN");
  private static final Map<String, String> IAM = Map.of("AuthMode", "AWS_IAM");
  /** Every parameter that switches a conditional grant on, so the allow-list is checked against the most a role can hold. */
  private static final Map<String, String> EVERYTHING = Map.of(
      "AuthMode", "TOKEN", "ExportAuth", "sigv4", "ExportHeadersSecretName", "otel/backend",
      "PipelineConfigParameter", "/otel-pipeline/config", "AllowAutoScaling", "true",
      "CollectorTokenSecretName", "otel-pipeline/collector-tokens");

  private static final Set<String> LOGS = Set.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents");
  /** What a Kinesis event source mapping reads the stream with (Lambda's documented execution role permissions). */
  private static final Set<String> KINESIS_READ =
      Set.of("kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards");
  /** The failure destination: Kinesis on-failure records to S3, and the functions' own refusals. */
  private static final Set<String> FAILURE_BUCKET = Set.of("s3:PutObject", "s3:ListBucket");
  private static final Set<String> CONFIG = Set.of("ssm:GetParameter");
  /** A sequential consumer's shard states: its fence items and its objects (ShardStateStore). */
  private static final Set<String> SHARD_STATE = Set.of("dynamodb:GetItem", "dynamodb:PutItem", "s3:GetObject", "s3:PutObject", "s3:DeleteObject");
  private static final Set<String> HEADERS_SECRET = Set.of("secretsmanager:GetSecretValue");
  private static final Set<String> SIGV4_TRACES = Set.of("xray:PutTraceSegments", "xray:PutSpans", "xray:PutSpansForIndexing");
  private static final Set<String> SIGV4_METRICS = Set.of("cloudwatch:PutMetricData");
  private static final Set<String> SIGV4_LOGS = Set.of("logs:PutLogEvents");

  /**
   * Per function, the AWS calls its code makes (the SDK calls in layers/pipeline-core that its
   * handler wires) and what Lambda needs to run it: the role may hold these and nothing else.
   */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "IngestFunction", union(LOGS, CONFIG, Set.of("kinesis:PutRecords", "kinesis:ListShards", "secretsmanager:GetSecretValue")),
      "ForwarderFunction", union(LOGS, CONFIG, HEADERS_SECRET, KINESIS_READ, FAILURE_BUCKET, SIGV4_METRICS, SIGV4_LOGS),
      "SpanMetricsFunction", union(LOGS, CONFIG, HEADERS_SECRET, KINESIS_READ, FAILURE_BUCKET, SIGV4_METRICS,
          SHARD_STATE, Set.of("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
      "TraceSamplerFunction", union(LOGS, CONFIG, HEADERS_SECRET, KINESIS_READ, FAILURE_BUCKET, SIGV4_TRACES, SHARD_STATE,
          Set.of("kinesis:PutRecords")),
      "TraceTickFunction", union(LOGS, Set.of("kinesis:ListShards", "kinesis:PutRecords")),
      "TargetsApiFunction", union(LOGS, CONFIG,
          Set.of("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:GetItem", "secretsmanager:GetSecretValue")),
      "TargetAllocatorFunction", union(LOGS, CONFIG,
          Set.of("dynamodb:Scan", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "lambda:InvokeFunction")),
      "ScraperFunction", union(LOGS, CONFIG, HEADERS_SECRET, SIGV4_METRICS, Set.of("dynamodb:GetItem", "dynamodb:PutItem")),
      "ScalingAdvisorFunction", union(LOGS, Set.of("cloudwatch:GetMetricData", "lambda:ListEventSourceMappings",
          "kinesis:DescribeStreamSummary", "kinesis:UpdateShardCount", "lambda:UpdateEventSourceMapping")));
  /** Actions that have no resource types, so '*' is the only resource they can be granted on. */
  private static final Set<String> ONLY_ON_ANY_RESOURCE = union(SIGV4_TRACES, SIGV4_METRICS,
      Set.of("cloudwatch:GetMetricData", "lambda:ListEventSourceMappings"));

  private static Path project;
  private static JsonNode transformedToken;
  private static JsonNode transformedIam;

  @BeforeAll
  static void tools() throws IOException, InterruptedException {
    project = ProjectDirectory.find();
    Run probe = run(List.of(PYTHON, "-c", "import cfnlint, samtranslator"));
    if (probe.exit() != 0) {
      String how = "cfn-lint and the SAM translator are not installed for " + PYTHON + " (" + probe.output().strip()
          + "); install them with: " + PYTHON + " -m pip install cfn-lint aws-sam-translator";
      if (Boolean.parseBoolean(System.getenv("REQUIRE_AWS_TEMPLATE_TOOLS"))) {
        throw new AssertionError(how);
      }
      Assumptions.abort(how);
    }
    transformedToken = transform(TOKEN);
    transformedIam = transform(IAM);
  }

  @Test
  void cfnLintFindsNothing() throws IOException, InterruptedException {
    Run lint = run(List.of(PYTHON, "-c", "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; main()",
        "--format", "json", project.resolve(ProjectDirectory.TEMPLATE).toString()));
    JsonNode matches = JSON.readTree(lint.output().substring(lint.output().indexOf('[')));
    List<String> found = new ArrayList<>();
    matches.forEach(m -> found.add(m.path("Level").asText() + " " + m.at("/Rule/Id").asText() + " at line "
        + m.at("/Location/Start/LineNumber").asInt() + ": " + m.path("Message").asText()));
    // No warning is accepted: each one cfn-lint has raised so far was fixed in the template.
    assertEquals(List.of(), found, "cfn-lint " + String.join("\n", found));
    assertEquals(0, lint.exit(), lint.output());
  }

  @Test
  void cfnLintCatchesARetiredRuntime() throws IOException, InterruptedException {
    Path broken = Files.createTempFile("retired-runtime", ".yaml");
    try {
      Files.writeString(broken, Files.readString(project.resolve(ProjectDirectory.TEMPLATE)).replace("Runtime: java25", "Runtime: java17"));
      Run lint = run(List.of(PYTHON, "-c", "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; main()",
          "--format", "parseable", broken.toString()));
      assertTrue(lint.output().contains("E2533"), lint.output());
    } finally {
      Files.deleteIfExists(broken);
    }
  }

  @Test
  void aPublicUrlGetsBothPermissionsOnWhatItTargetsInTokenModeAndNoneInIamMode() {
    JsonNode token = resolved(transformedToken, TOKEN);
    JsonNode iam = resolved(transformedIam, IAM);
    for (String[] url : List.of(new String[] {"IngestFunctionUrl", "IngestFunctionAliaslive", "IngestUrl"},
        new String[] {"TargetsApiFunctionUrl", "TargetsApiFunction", "TargetsApiUrl"})) {
      JsonNode tokenUrl = token.at("/Resources/" + url[0] + "/Properties");
      assertEquals("NONE", tokenUrl.path("AuthType").asText(), url[0]);
      assertEquals(url[1], tokenUrl.at("/TargetFunctionArn/Ref").asText(), url[0] + " targets " + tokenUrl.path("TargetFunctionArn"));
      assertEquals("AWS_IAM", iam.at("/Resources/" + url[0] + "/Properties/AuthType").asText(), url[0]);

      JsonNode invokeUrl = token.at("/Resources/" + url[2] + "PublicInvokeUrl/Properties");
      assertEquals("lambda:InvokeFunctionUrl", invokeUrl.path("Action").asText(), url[2]);
      assertEquals("NONE", invokeUrl.path("FunctionUrlAuthType").asText(), url[2]);
      assertEquals("*", invokeUrl.path("Principal").asText(), url[2]);
      assertEquals(url[1], invokeUrl.at("/FunctionName/Ref").asText(), url[2]);
      JsonNode invoke = token.at("/Resources/" + url[2] + "PublicInvoke/Properties");
      assertEquals("lambda:InvokeFunction", invoke.path("Action").asText(), url[2]);
      assertTrue(invoke.path("InvokedViaFunctionUrl").asBoolean(), url[2] + " may be invoked only through its URL");
      assertEquals(url[1], invoke.at("/FunctionName/Ref").asText(), url[2]);

      assertTrue(iam.at("/Resources/" + url[2] + "PublicInvokeUrl").isMissingNode(), "no public permission in AWS_IAM mode");
      assertTrue(iam.at("/Resources/" + url[2] + "PublicInvoke").isMissingNode(), "no public permission in AWS_IAM mode");
    }
    JsonNode alias = token.at("/Resources/IngestFunctionAliaslive/Properties");
    assertEquals("live", alias.path("Name").asText());
    assertTrue(token.at("/Resources/IngestFunction/Properties/SnapStart/ApplyOn").asText().equals("PublishedVersions"));
  }

  @Test
  void everyFunctionRunsOnACurrentJavaRuntimeAndNoOneReservesConcurrencyByDefault() {
    JsonNode resources = resolved(transformedToken, TOKEN).path("Resources");
    int functions = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> r = it.next();
      if (r.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
        functions++;
        assertEquals("java25", r.getValue().at("/Properties/Runtime").asText(), r.getKey());
        assertTrue(r.getValue().at("/Properties/ReservedConcurrentExecutions").isMissingNode(),
            r.getKey() + " reserves concurrency, which a new account's quota cannot give");
      }
      if (r.getValue().path("Type").asText().equals("AWS::Lambda::LayerVersion")) {
        assertEquals("[\"java25\"]", r.getValue().at("/Properties/CompatibleRuntimes").toString());
      }
    }
    assertEquals(ALLOWED.size(), functions);
  }

  @Test
  void everyKinesisEventSourceReportsPartialFailuresAndKeepsDataThroughOutages() {
    JsonNode resources = resolved(transformedToken, TOKEN).path("Resources");
    List<String> mappings = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> r = it.next();
      if (!r.getValue().path("Type").asText().equals("AWS::Lambda::EventSourceMapping")) {
        continue;
      }
      mappings.add(r.getKey());
      JsonNode p = r.getValue().path("Properties");
      String at = r.getKey() + " " + p;
      assertEquals("[\"ReportBatchItemFailures\"]", p.path("FunctionResponseTypes").toString(), at);
      assertEquals("TRIM_HORIZON", p.path("StartingPosition").asText(), at);
      assertTrue(p.path("BisectBatchOnFunctionError").asBoolean(), at);
      assertEquals(-1, p.path("MaximumRetryAttempts").asInt(), "a backend outage must not exhaust the retries: " + at);
      assertTrue(p.path("MaximumRecordAgeInSeconds").asInt() <= 24 * 3600, "no older than the stream keeps records: " + at);
      assertTrue(p.path("BatchSize").asInt() >= 1 && p.path("BatchSize").asInt() <= 10_000, at);
      int factor = p.path("ParallelizationFactor").asInt(1);
      assertTrue(factor >= 1 && factor <= 10, at);
      assertFalse(p.at("/DestinationConfig/OnFailure/Destination").isMissingNode(), "undeliverable records go somewhere: " + at);
    }
    assertEquals(4, mappings.size(), mappings.toString());
  }

  @Test
  void everyRoleHoldsExactlyWhatItsFunctionCallsAndNoSamKinesisPolicyWidensIt() {
    JsonNode template = resolved(transform(EVERYTHING), EVERYTHING);
    JsonNode resources = template.path("Resources");
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Set<String>> f : ALLOWED.entrySet()) {
      JsonNode function = resources.path(f.getKey()).path("Properties");
      String roleId = function.at("/Role/Fn::GetAtt/0").asText();
      JsonNode role = resources.path(roleId).path("Properties");
      assertFalse(role.isMissingNode(), f.getKey() + " has no role in the template: " + function.path("Role"));
      Set<String> actions = new TreeSet<>();
      for (JsonNode managed : role.path("ManagedPolicyArns")) {
        String arn = managed.isTextual() ? managed.asText() : managed.path("Fn::Sub").asText();
        if (managed.has("Ref")) {
          statements(resources.path(managed.get("Ref").asText()).at("/Properties/PolicyDocument"), actions, f.getKey(), problems);
        } else if (arn.endsWith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")) {
          actions.addAll(LOGS);
        } else {
          problems.add(f.getKey() + ": managed policy " + managed + " grants what this test cannot see");
        }
      }
      for (JsonNode policy : role.path("Policies")) {
        statements(policy.path("PolicyDocument"), actions, f.getKey(), problems);
      }
      if (!actions.equals(new TreeSet<>(f.getValue()))) {
        Set<String> extra = new TreeSet<>(actions);
        extra.removeAll(f.getValue());
        Set<String> missing = new TreeSet<>(f.getValue());
        missing.removeAll(actions);
        problems.add(f.getKey() + " (" + roleId + "): grants " + extra + " beyond its calls, lacks " + missing);
      }
    }
    assertEquals(List.of(), problems, String.join("\n", problems));
    resources.fields().forEachRemaining(r -> {
      for (JsonNode managed : r.getValue().at("/Properties/ManagedPolicyArns")) {
        assertFalse(managed.toString().contains("AWSLambdaKinesisExecutionRole"),
            r.getKey() + ": SAM's Kinesis policy grants read on every stream of the account");
      }
    });
  }

  private static void statements(JsonNode document, Set<String> actions, String function, List<String> problems) {
    for (JsonNode statement : document.path("Statement")) {
      List<String> granted = new ArrayList<>();
      JsonNode action = statement.path("Action");
      if (action.isArray()) {
        action.forEach(a -> granted.add(a.asText()));
      } else {
        granted.add(action.asText());
      }
      actions.addAll(granted);
      for (String a : granted) {
        if (a.contains("*")) {
          problems.add(function + ": wildcard action " + a);
        }
      }
      if (statement.path("Resource").asText().equals("*") && !ONLY_ON_ANY_RESOURCE.containsAll(granted)) {
        problems.add(function + ": " + granted + " granted on every resource");
      }
    }
  }

  /** The transformed template as CloudFormation would deploy it with these parameters: conditions decided, Fn::If taken. */
  private static JsonNode resolved(JsonNode transformed, Map<String, String> parameters) {
    Map<String, Boolean> conditions = new TreeMap<>();
    JsonNode declared = transformed.path("Conditions");
    declared.fieldNames().forEachRemaining(name -> conditions.put(name, truth(declared.get(name), declared, parameters)));
    com.fasterxml.jackson.databind.node.ObjectNode out = transformed.deepCopy();
    com.fasterxml.jackson.databind.node.ObjectNode resources = (com.fasterxml.jackson.databind.node.ObjectNode) out.path("Resources");
    List<String> absent = new ArrayList<>();
    resources.fields().forEachRemaining(r -> {
      if (r.getValue().has("Condition") && !conditions.get(r.getValue().get("Condition").asText())) {
        absent.add(r.getKey());
      }
    });
    resources.remove(absent);
    return choose(out, conditions);
  }

  private static JsonNode choose(JsonNode node, Map<String, Boolean> conditions) {
    if (node.isObject() && node.size() == 1 && node.has("Fn::If")) {
      JsonNode branch = node.get("Fn::If").get(conditions.get(node.get("Fn::If").get(0).asText()) ? 1 : 2);
      return choose(branch, conditions);
    }
    if (node.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> {
        JsonNode v = choose(e.getValue(), conditions);
        if (!isNoValue(v)) {
          copy.set(e.getKey(), v);
        }
      });
      return copy;
    }
    if (node.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode copy = JSON.createArrayNode();
      node.forEach(v -> {
        JsonNode c = choose(v, conditions);
        if (!isNoValue(c)) {
          copy.add(c);
        }
      });
      return copy;
    }
    return node;
  }

  private static boolean isNoValue(JsonNode v) {
    return v.isObject() && v.size() == 1 && "AWS::NoValue".equals(v.path("Ref").asText(null));
  }

  private static boolean truth(JsonNode c, JsonNode declared, Map<String, String> parameters) {
    if (c.has("Fn::Equals")) {
      return value(c.get("Fn::Equals").get(0), parameters).equals(value(c.get("Fn::Equals").get(1), parameters));
    }
    if (c.has("Fn::Not")) {
      return !truth(c.get("Fn::Not").get(0), declared, parameters);
    }
    if (c.has("Fn::And")) {
      boolean all = true;
      for (JsonNode each : c.get("Fn::And")) {
        all &= truth(each, declared, parameters);
      }
      return all;
    }
    if (c.has("Condition")) {
      return truth(declared.get(c.get("Condition").asText()), declared, parameters);
    }
    throw new AssertionError("a condition this test does not evaluate: " + c);
  }

  private static String value(JsonNode v, Map<String, String> parameters) {
    if (v.has("Ref")) {
      String name = v.get("Ref").asText();
      return parameters.getOrDefault(name, defaults().path(name).path("Default").asText(""));
    }
    return v.asText();
  }

  private static JsonNode defaults() {
    return transformedToken.path("Parameters");
  }

  private static JsonNode transform(Map<String, String> parameters) {
    List<String> command = new ArrayList<>(List.of(PYTHON, script(), project.resolve(ProjectDirectory.TEMPLATE).toString()));
    parameters.forEach((k, v) -> command.add(k + "=" + v));
    try {
      Run transform = run(command);
      assertEquals(0, transform.exit(), "the SAM translator refuses template.yaml:\n" + transform.output());
      return JSON.readTree(transform.output().substring(transform.output().indexOf('{')));
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("cannot run the SAM translator: " + e, e);
    }
  }

  private static String script() {
    try (InputStream in = AwsTemplateToolsTest.class.getResourceAsStream("/template-tools/sam_transform.py")) {
      Path script = Files.createTempFile("sam_transform", ".py");
      script.toFile().deleteOnExit();
      Files.write(script, in.readAllBytes());
      return script.toString();
    } catch (IOException e) {
      throw new AssertionError("the transform script is not on the test classpath", e);
    }
  }

  private record Run(int exit, String output) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notFound) {
      return new Run(127, notFound.getMessage());
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }
}
