package io.otelpipeline.core.targets.allocation;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/** Invokes the scraper function asynchronously (InvocationType Event) with {@code {"shard": n, "assignmentVersion": v}}. */
public final class LambdaScraperInvoker implements ScraperInvoker {
  private final LambdaClient lambda;
  private final String functionName;

  public LambdaScraperInvoker(LambdaClient lambda, String functionName) {
    this.lambda = lambda;
    this.functionName = functionName;
  }

  @Override
  public void invoke(int shard, long assignmentVersion) {
    String payload = "{\"shard\":" + shard + ",\"assignmentVersion\":" + assignmentVersion + "}";
    InvokeResponse r =
        lambda.invoke(b -> b.functionName(functionName).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(payload)));
    if (r.statusCode() != 202) {
      throw new IllegalStateException("scraper " + functionName + " shard " + shard + " was not started: status " + r.statusCode());
    }
  }
}
