package io.otelpipeline.local;

import java.util.Locale;
import java.util.Map;

/**
 * The names and ARNs the template's resources have locally: {@code <stack>-<LogicalId>} unless the
 * resource names itself, in the local region and account (kinesis-mock's default account).
 */
record LocalNames(String stackName, String region, String account, Map<String, String> types, Map<String, String> explicitNames) {
  static final String ACCOUNT = "000000000000";

  String physicalName(String logicalId) {
    String named = explicitNames.get(logicalId);
    if (named != null) {
      return named;
    }
    String name = stackName + "-" + logicalId;
    return "AWS::S3::Bucket".equals(types.get(logicalId)) ? name.toLowerCase(Locale.ROOT) : name;
  }

  String arn(String logicalId, String where) {
    String name = physicalName(logicalId);
    String type = type(logicalId, where);
    return switch (type) {
      case "AWS::Kinesis::Stream" -> "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name;
      case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
      case "AWS::S3::Bucket" -> "arn:aws:s3:::" + name;
      case "AWS::SQS::Queue" -> "arn:aws:sqs:" + region + ":" + account + ":" + name;
      case "AWS::SNS::Topic" -> "arn:aws:sns:" + region + ":" + account + ":" + name;
      case "AWS::Serverless::Function", "AWS::Lambda::Function" -> "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
      case "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion" -> "arn:aws:lambda:" + region + ":" + account + ":layer:" + name + ":1";
      case "AWS::IAM::Role" -> "arn:aws:iam::" + account + ":role/" + name;
      default -> throw new TemplateException(where + ": Fn::GetAtt " + logicalId + ".Arn is not known locally for a " + type);
    };
  }

  Object ref(String logicalId, String where) {
    String type = type(logicalId, where);
    return switch (type) {
      case "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion", "AWS::SNS::Topic" -> arn(logicalId, where);
      default -> physicalName(logicalId);
    };
  }

  Object getAtt(String logicalId, String attribute, String where) {
    String type = type(logicalId, where);
    if (attribute.equals("Arn")) {
      return arn(logicalId, where);
    }
    if (type.equals("AWS::DynamoDB::Table") && attribute.equals("StreamArn")) {
      return arn(logicalId, where) + "/stream/local";
    }
    if (type.equals("AWS::SQS::Queue") && attribute.equals("QueueName")) {
      return physicalName(logicalId);
    }
    if (type.equals("AWS::S3::Bucket") && attribute.equals("DomainName")) {
      return physicalName(logicalId) + ".s3.amazonaws.com";
    }
    throw new TemplateException(where + ": Fn::GetAtt " + logicalId + "." + attribute + " is not available locally");
  }

  private String type(String logicalId, String where) {
    String type = types.get(logicalId);
    if (type == null) {
      throw new TemplateException(where + ": " + logicalId + " is neither a parameter nor a resource of the template");
    }
    return type;
  }
}
