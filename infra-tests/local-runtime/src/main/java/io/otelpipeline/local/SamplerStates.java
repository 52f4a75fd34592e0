package io.otelpipeline.local;

import io.otelpipeline.core.sampling.TraceSampler;
import io.otelpipeline.core.sampling.state.SamplerState;
import io.otelpipeline.core.sampling.state.TraceDecision;
import io.otelpipeline.core.sampling.trace.TraceId;
import io.otelpipeline.core.shardstate.S3ShardStateStore;
import io.otelpipeline.core.shardstate.ShardStates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The trace sampler's shard states as a running local stack holds them, read the way a new
 * container reads them (fence item, then object): for tests and the load harness to see which
 * traces were decided how, and how many still wait.
 */
public final class SamplerStates {
  /** The consumer name the sampler keeps its states under (SamplerWiring). */
  static final String CONSUMER = "trace-sampler";

  private final LocalStack stack;

  public SamplerStates(LocalStack stack) {
    this.stack = stack;
  }

  /** The saved state of every shard the sampler has read. */
  public List<SamplerState> all() {
    String table = stack.physicalName("ShardStateTable");
    ShardStates<SamplerState> states = states();
    List<SamplerState> out = new ArrayList<>();
    for (Map<String, AttributeValue> item : stack.dynamoDb().scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
      String key = item.get("shard").s();
      if (key.startsWith(CONSUMER + "/")) {
        states.peek(key.substring(CONSUMER.length() + 1)).ifPresent(out::add);
      }
    }
    return out;
  }

  private ShardStates<SamplerState> states() {
    return new ShardStates<>(
        new S3ShardStateStore(stack.s3(), stack.physicalName("ShardStateBucket"), stack.dynamoDb(), stack.physicalName("ShardStateTable"), CONSUMER),
        TraceSampler.stateCodec());
  }

  /** Keep (true) or drop (false) by trace id (hex), for every decision a shard still remembers. */
  public Map<String, Boolean> decisions() {
    Map<String, Boolean> out = new HashMap<>();
    for (SamplerState state : all()) {
      for (TraceDecision d : state.decisions().all()) {
        out.put(TraceId.hex(d.traceId()), d.keep());
      }
    }
    return out;
  }

  /** The remembered decision of a trace, as "policy keep=true|false", if a shard remembers it. */
  public String describe(String traceId) {
    for (SamplerState state : all()) {
      var d = state.decisions().find(TraceId.fromHex(traceId));
      if (d.isPresent()) {
        return d.get().policy() + " keep=" + d.get().keep();
      }
      if (state.undecided(TraceId.fromHex(traceId)).isPresent()) {
        return "waiting for its decision";
      }
    }
    return "no decision";
  }

  /**
   * Traces waiting for their decision, over the open shards: a closed shard's final state keeps
   * what its children took over from it.
   */
  public int waiting() {
    ShardStates<SamplerState> states = states();
    int waiting = 0;
    for (var shard : Shards.list(stack.kinesis(), stack.physicalName("TracesStream"))) {
      if (shard.sequenceNumberRange().endingSequenceNumber() == null) {
        waiting += states.peek(shard.shardId()).map(s -> s.undecided().size()).orElse(0);
      }
    }
    return waiting;
  }
}
