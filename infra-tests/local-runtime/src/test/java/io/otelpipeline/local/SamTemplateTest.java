package io.otelpipeline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SamTemplateTest {
  private static final String HEAD =
      """
      AWSTemplateFormatVersion: '2010-09-09'
      Transform: AWS::Serverless-2016-10-31
      Parameters:
        Shards:
          Type: Number
          Default: 3
        Mode:
          Type: String
          Default: PROVISIONED
          AllowedValues: [PROVISIONED, ON_DEMAND]
      Conditions:
        OnDemand: !Equals [!Ref Mode, ON_DEMAND]
      Globals:
        Function:
          Runtime: java25
          Timeout: 20
          Environment:
            Variables:
              SHARED: from-globals
              OVERRIDDEN: from-globals
      """;

  private static final String RESOURCES =
      """
      Resources:
        Spans:
          Type: AWS::Kinesis::Stream
          Properties:
            ShardCount: !If [OnDemand, !Ref AWS::NoValue, !Ref Shards]
        Buffer:
          Type: AWS::DynamoDB::Table
          Properties:
            BillingMode: PAY_PER_REQUEST
            AttributeDefinitions:
              - {AttributeName: pk, AttributeType: S}
              - {AttributeName: due, AttributeType: N}
            KeySchema:
              - {AttributeName: pk, KeyType: HASH}
            GlobalSecondaryIndexes:
              - IndexName: by-due
                KeySchema:
                  - {AttributeName: due, KeyType: HASH}
                Projection: {ProjectionType: KEYS_ONLY}
            TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
        Failures:
          Type: AWS::S3::Bucket
        Consumer:
          Type: AWS::Serverless::Function
          Properties:
            Handler: example.Consumer::handle
            Environment:
              Variables:
                OVERRIDDEN: own
                STREAM: !Ref Spans
                STREAM_ARN: !GetAtt Spans.Arn
                TABLE: !Ref Buffer
                BUCKET: !Ref Failures
                LABEL: !Sub '${AWS::StackName}-${Spans}-${Buffer.Arn}'
                MAYBE: !If [OnDemand, on-demand, !Ref AWS::NoValue]
            Events:
              Records:
                Type: Kinesis
                Properties:
                  Stream: !GetAtt Spans.Arn
                  StartingPosition: TRIM_HORIZON
                  BatchSize: 50
                  MaximumBatchingWindowInSeconds: 2
                  ParallelizationFactor: 2
                  BisectBatchOnFunctionError: true
                  MaximumRetryAttempts: 3
                  FunctionResponseTypes: [ReportBatchItemFailures]
                  DestinationConfig:
                    OnFailure:
                      Destination: !GetAtt Failures.Arn
              Sweep:
                Type: Schedule
                Properties:
                  Schedule: rate(1 minute)
                  Input: '{"sweep": true}'
        Front:
          Type: AWS::Serverless::Function
          Properties:
            Handler: example.Front
            FunctionUrlConfig:
              AuthType: NONE
      """;

  @Test
  void resolvesStreamsTablesAndFunctionsToLocalResources() {
    SamTemplate template = parse(HEAD + RESOURCES, Map.of());
    assertEquals(List.of(new StreamSpec("Spans", "stack-Spans", "arn:aws:kinesis:us-east-1:000000000000:stream/stack-Spans", OptionalInt.of(3))),
        template.streams());

    TableSpec table = template.tables().get(0);
    assertEquals("stack-Buffer", table.name());
    assertEquals(Map.of("pk", "S", "due", "N"), table.attributeTypes());
    assertEquals(List.of(new TableSpec.Key("pk", "HASH")), table.keys());
    assertEquals(List.of(new TableSpec.Index("by-due", List.of(new TableSpec.Key("due", "HASH")), "KEYS_ONLY", List.of())), table.globalIndexes());
    assertEquals(Optional.of("expires"), table.ttlAttribute());

    FunctionSpec consumer = template.function("Consumer").orElseThrow();
    assertEquals("example.Consumer", consumer.handlerClass());
    assertEquals("handle", consumer.handlerMethod());
    assertEquals(Duration.ofSeconds(20), consumer.timeout());
    assertEquals(
        Map.of(
            "SHARED", "from-globals",
            "OVERRIDDEN", "own",
            "STREAM", "stack-Spans",
            "STREAM_ARN", "arn:aws:kinesis:us-east-1:000000000000:stream/stack-Spans",
            "TABLE", "stack-Buffer",
            "BUCKET", "stack-failures",
            "LABEL", "stack-stack-Spans-arn:aws:dynamodb:us-east-1:000000000000:table/stack-Buffer"),
        consumer.environment());
    assertEquals(
        new KinesisSource("Records", "Spans", "arn:aws:kinesis:us-east-1:000000000000:stream/stack-Spans", "TRIM_HORIZON", Optional.empty(),
            50, Duration.ofSeconds(2), 2, true, Optional.of(3), Optional.empty(), true, Optional.of("arn:aws:s3:::stack-failures")),
        consumer.kinesisSources().get(0));
    assertEquals("rate(1 minute)", consumer.schedules().get(0).expression().toString());
    assertEquals(Optional.of("{\"sweep\": true}"), consumer.schedules().get(0).input());

    FunctionSpec front = template.function("Front").orElseThrow();
    assertTrue(front.functionUrl());
    assertEquals("handleRequest", front.handlerMethod());
  }

  @Test
  void parameterOverridesAndConditionsChangeTheResult() {
    SamTemplate onDemand = parse(HEAD + RESOURCES, Map.of("Mode", "ON_DEMAND"));
    assertEquals(OptionalInt.empty(), onDemand.streams().get(0).shardCount());
    assertEquals("on-demand", onDemand.function("Consumer").orElseThrow().environment().get("MAYBE"));
  }

  @Test
  void readsTheProjectTemplate() {
    SamTemplate template = SamTemplate.load(ProjectDirectory.find().resolve(ProjectDirectory.TEMPLATE), Map.of(), "otel-pipeline", "us-east-1");
    assertTrue(template.streams().stream().anyMatch(s -> s.logicalId().equals("TracesStream") && s.shardCount().isPresent()));
    FunctionSpec ingest = template.function("IngestFunction").orElseThrow();
    assertTrue(ingest.functionUrl());
    assertEquals("otel-pipeline-TracesStream", ingest.environment().get("TRACES_STREAM"));
  }

  @Test
  void severalConfigParametersReachEveryFunctionAsOneLayeredList() {
    SamTemplate template =
        SamTemplate.load(ProjectDirectory.find().resolve(ProjectDirectory.TEMPLATE), Map.of("PipelineConfigParameter", "/otel/base,/otel/layer"),
            "otel-pipeline", "us-east-1");
    for (FunctionSpec f : template.functions()) {
      assertEquals("ssm:/otel/base,ssm:/otel/layer", f.environment().get("PIPELINE_CONFIG"), f.logicalId());
    }
  }

  @Test
  void whatCannotBeHonouredStopsTheStartNamingResourceAndProperty() {
    record Case(String yaml, Map<String, String> parameters, String expected) {}
    List<Case> cases =
        List.of(
            new Case(HEAD.replace("    Default: 3\n", "") + RESOURCES, Map.of(), "Parameters.Shards: no Default"),
            new Case(HEAD + RESOURCES, Map.of("Mode", "SOMETIMES"), "Parameters.Mode: 'SOMETIMES' is not one of AllowedValues"),
            new Case(HEAD + RESOURCES, Map.of("Nope", "1"), "Parameters.Nope: given a value"),
            new Case(HEAD + RESOURCES.replace("OVERRIDDEN: own", "OVERRIDDEN: !ImportValue other-stack"), Map.of(),
                "Resources.Consumer.Properties.Environment.Variables.OVERRIDDEN (Fn::ImportValue)"),
            new Case(HEAD + RESOURCES.replace("!Ref Buffer", "!Ref Bufer"), Map.of(),
                "Resources.Consumer.Properties.Environment.Variables.TABLE (Ref): Bufer is neither a parameter nor a resource"),
            new Case(HEAD + RESOURCES.replace("Type: Kinesis", "Type: SQS"), Map.of(),
                "Resources.Consumer.Properties.Events.Records.Type: events of type SQS"),
            new Case(HEAD + RESOURCES.replace("BatchSize: 50", "TumblingWindowInSeconds: 30"), Map.of(),
                "Resources.Consumer.Properties.Events.Records.Properties.TumblingWindowInSeconds: not honoured"),
            new Case(HEAD + RESOURCES.replace("rate(1 minute)", "cron(0 12 L * ? *)"), Map.of(),
                "Resources.Consumer.Properties.Events.Sweep.Properties.Schedule: cron(0 12 L * ? *): 'L' is not supported"),
            new Case(HEAD.replace("Runtime: java25", "Runtime: python3.12") + RESOURCES, Map.of(),
                "Resources.Consumer.Properties.Runtime: python3.12 cannot run"),
            new Case(HEAD.replace("Runtime: java25", "Runtime: java17") + RESOURCES, Map.of(),
                "Resources.Consumer.Properties.Runtime: java17 is retired: Lambda creates no functions on it since 2026-07-31"),
            new Case(HEAD + RESOURCES.replace("MaximumRetryAttempts: 3", "MaximumRetryAttempts: -2"), Map.of(),
                "Resources.Consumer.Properties.Events.Records.Properties.MaximumRetryAttempts: -2 must be -1 (until the record expires) or 0-10000"),
            new Case(HEAD + RESOURCES.replace("MaximumRetryAttempts: 3", "MaximumRecordAgeInSeconds: 700000"), Map.of(),
                "Resources.Consumer.Properties.Events.Records.Properties.MaximumRecordAgeInSeconds: 700000 must be -1 (until the record expires) or 60-604800"),
            new Case(HEAD + RESOURCES.replace("MaximumRetryAttempts: 3", "MaximumRecordAgeInSeconds: 2"), Map.of(),
                "Resources.Consumer.Properties.Events.Records.Properties.MaximumRecordAgeInSeconds: 2 must be -1 (until the record expires) or 60-604800"));
    for (Case c : cases) {
      TemplateException e = assertThrows(TemplateException.class, () -> parse(c.yaml(), c.parameters()), c.expected());
      assertTrue(e.getMessage().contains(c.expected()), "expected '" + c.expected() + "' in: " + e.getMessage());
    }
  }

  @Test
  void aRuntimeIsRefusedFromTheDayLambdaStopsCreatingFunctionsOnIt() {
    LambdaRuntimes.check("java17", java.time.LocalDate.parse("2026-07-30"), "Runtime");
    TemplateException retired = assertThrows(TemplateException.class,
        () -> LambdaRuntimes.check("java17", java.time.LocalDate.parse("2026-07-31"), "Runtime"));
    assertTrue(retired.getMessage().contains("use java21 or java25"), retired.getMessage());
    assertTrue(assertThrows(TemplateException.class, () -> LambdaRuntimes.check("java99", java.time.LocalDate.parse("2026-07-30"), "Runtime"))
        .getMessage().contains("is not a Lambda Java runtime"));
  }

  private static SamTemplate parse(String yaml, Map<String, String> parameters) {
    return SamTemplate.parse(Path.of("inline.yaml"), CfnYaml.parse("inline.yaml", yaml), parameters, "stack", "us-east-1");
  }
}
