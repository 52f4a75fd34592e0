package io.otelpipeline.core.scaling;

/** The ParallelizationFactor of a function's event source mapping on a stream. */
public interface ConsumerConcurrency {
  int parallelizationFactor(String function, String streamArn);

  void setParallelizationFactor(String function, String streamArn, int factor);
}
