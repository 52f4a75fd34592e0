package io.otelpipeline.load;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;

/**
 * Counts what the functions of a local run spend on their state: the DynamoDB request units, and
 * the S3 PUT and GET requests of the shard states. Registered as an AWS SDK global interceptor (so
 * it sees every function's client without touching their code), it asks each DynamoDB request for
 * its consumed capacity while {@link #start} is in force and sums what DynamoDB Local answers, as
 * reads or writes by operation, and counts the S3 object requests that succeed. Off, it changes
 * nothing.
 */
public final class StateRequests implements ExecutionInterceptor {
  private static final Set<String> READS = Set.of(
      "GetItemRequest", "BatchGetItemRequest", "QueryRequest", "ScanRequest", "TransactGetItemsRequest");
  private static final DoubleAdder READ_UNITS = new DoubleAdder();
  private static final DoubleAdder WRITE_UNITS = new DoubleAdder();
  private static final LongAdder OBJECT_PUTS = new LongAdder();
  private static final LongAdder OBJECT_GETS = new LongAdder();
  private static volatile boolean counting;

  /** Units counted between {@link #start} and now. */
  record Totals(long readUnits, long writeUnits, long objectPuts, long objectGets) {}

  /** Starts counting from zero. */
  static void start() {
    READ_UNITS.reset();
    WRITE_UNITS.reset();
    OBJECT_PUTS.reset();
    OBJECT_GETS.reset();
    counting = true;
  }

  /** Leaves out the requests that follow (the harness's own reads) until {@link #resume}. */
  static void pause() {
    counting = false;
  }

  static void resume() {
    counting = true;
  }

  /** Stops counting and gives the totals, rounded up to whole units. */
  static Totals stop() {
    counting = false;
    return new Totals((long) Math.ceil(READ_UNITS.sum()), (long) Math.ceil(WRITE_UNITS.sum()), OBJECT_PUTS.sum(), OBJECT_GETS.sum());
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    if (!counting || !(request instanceof DynamoDbRequest)) {
      return request;
    }
    Optional<SdkField<?>> field = request.sdkFields().stream().filter(f -> f.memberName().equals("ReturnConsumedCapacity")).findFirst();
    if (field.isEmpty()) {
      return request;
    }
    SdkRequest.Builder builder = request.toBuilder();
    field.get().set(builder, "TOTAL");
    return builder.build();
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    if (counting && context.request() instanceof PutObjectRequest) {
      OBJECT_PUTS.increment();
    }
    if (counting && context.request() instanceof GetObjectRequest) {
      OBJECT_GETS.increment();
    }
    if (!counting || !(context.request() instanceof DynamoDbRequest)) {
      return;
    }
    SdkResponse response = context.response();
    Optional<Object> consumed = response.getValueForField("ConsumedCapacity", Object.class);
    double units = 0;
    if (consumed.isPresent()) {
      List<?> all = consumed.get() instanceof List<?> list ? list : List.of(consumed.get());
      for (Object c : all) {
        if (c instanceof ConsumedCapacity capacity && capacity.capacityUnits() != null) {
          units += capacity.capacityUnits();
        }
      }
    }
    if (READS.contains(context.request().getClass().getSimpleName())) {
      READ_UNITS.add(units);
    } else {
      WRITE_UNITS.add(units);
    }
  }
}
