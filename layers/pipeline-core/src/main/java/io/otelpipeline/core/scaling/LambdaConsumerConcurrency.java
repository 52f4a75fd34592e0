package io.otelpipeline.core.scaling;

import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;

/** The ParallelizationFactor of the event source mapping found with ListEventSourceMappings. */
public final class LambdaConsumerConcurrency implements ConsumerConcurrency {
  private final LambdaClient lambda;

  public LambdaConsumerConcurrency(LambdaClient lambda) {
    this.lambda = lambda;
  }

  @Override
  public int parallelizationFactor(String function, String streamArn) {
    Integer factor = mapping(function, streamArn).parallelizationFactor();
    return factor == null ? 1 : factor;
  }

  @Override
  public void setParallelizationFactor(String function, String streamArn, int factor) {
    String uuid = mapping(function, streamArn).uuid();
    lambda.updateEventSourceMapping(r -> r.uuid(uuid).parallelizationFactor(factor));
  }

  private EventSourceMappingConfiguration mapping(String function, String streamArn) {
    return lambda.listEventSourceMappingsPaginator(r -> r.functionName(function).eventSourceArn(streamArn)).eventSourceMappings().stream()
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no event source mapping of " + function + " on " + streamArn));
  }
}
