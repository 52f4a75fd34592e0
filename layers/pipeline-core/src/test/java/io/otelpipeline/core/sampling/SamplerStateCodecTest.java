package io.otelpipeline.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otelpipeline.core.sampling.state.DecisionMemory;
import io.otelpipeline.core.sampling.state.SamplerState;
import io.otelpipeline.core.sampling.state.TraceDecision;
import io.otelpipeline.core.sampling.state.UndecidedTrace;
import io.otelpipeline.core.sampling.trace.TraceSpan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The sampler's shard state survives its bytes, and the decision memory forgets by age and by size. */
class SamplerStateCodecTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456789Z");

  private static ByteString id(int length, int n) {
    byte[] b = new byte[length];
    b[length - 1] = (byte) n;
    b[0] = 9;
    return ByteString.copyFrom(b);
  }

  private static TraceSpan span(int trace, int spanNo, String service, boolean root) {
    Span.Builder s = Span.newBuilder().setTraceId(id(16, trace)).setSpanId(id(8, trace * 16 + spanNo)).setName("op-" + spanNo);
    if (!root) {
      s.setParentSpanId(id(8, trace * 16));
    }
    ResourceSpans resource =
        ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
            .build();
    return new TraceSpan(resource, ScopeSpans.newBuilder().build(), s.build());
  }

  @Test
  void everyPartOfTheStateIsReadBackAsItWasWritten() {
    SamplerState state = new SamplerState(T0.plusSeconds(7));
    UndecidedTrace withRoot = new UndecidedTrace(id(16, 1), T0, null);
    withRoot.add(span(1, 1, "checkout", false), T0);
    withRoot.add(span(1, 0, "frontend", true), T0.plusSeconds(2));
    state.await(withRoot, T0.plusSeconds(4));
    UndecidedTrace noRoot = new UndecidedTrace(id(16, 2), T0.plusSeconds(1), null);
    noRoot.add(span(2, 3, "payment", false), T0.plusSeconds(1));
    state.await(noRoot, T0.plusSeconds(11));
    TraceDecision kept = TraceDecision.of(id(16, 3), true, "budget", Optional.of("errors"), OptionalDouble.of(0.25), T0.plusSeconds(3));
    kept.exportedSpanIds().add(id(8, 48));
    state.decisions().remember(kept);
    state.decisions().remember(TraceDecision.of(id(16, 4), false, "ten-percent", Optional.empty(), OptionalDouble.empty(), T0.plusSeconds(3)));
    state.send(kept, List.of(span(3, 1, "frontend", false)));

    SamplerStateCodec codec = new SamplerStateCodec();
    SamplerState back = codec.decode(codec.encode(state));

    assertEquals(state.time(), back.time());
    UndecidedTrace t1 = back.undecided(id(16, 1)).orElseThrow();
    assertEquals(T0, t1.firstSeen());
    assertEquals(Optional.of(T0.plusSeconds(2)), t1.rootSeen());
    assertEquals(List.of(span(1, 1, "checkout", false).span(), span(1, 0, "frontend", true).span()), t1.spans().stream().map(TraceSpan::span).toList());
    assertEquals("frontend", t1.spans().stream().filter(TraceSpan::isRoot).findFirst().orElseThrow().resource().getResource().getAttributes(0).getValue().getStringValue());
    assertEquals(T0.plusSeconds(4), back.dueAt(id(16, 1)));
    assertEquals(Optional.empty(), back.undecided(id(16, 2)).orElseThrow().rootSeen());
    assertEquals(List.of(id(16, 1)), back.takeDue(at -> at.isBefore(T0.plusSeconds(5))).stream().map(UndecidedTrace::traceId).toList(),
        "the due order is rebuilt");

    TraceDecision keptBack = back.decisions().find(id(16, 3)).orElseThrow();
    assertEquals(kept, keptBack);
    assertEquals(false, back.decisions().find(id(16, 4)).orElseThrow().keep());
    SamplerState.Outgoing outgoing = back.outbox().get(id(16, 3));
    assertTrue(outgoing.decision() == keptBack, "the outbox follows the remembered decision, so exports mark it");
    assertEquals(List.of(id(8, 49)), List.copyOf(outgoing.spans().keySet()));
  }

  @Test
  void decisionsAreForgottenWhenOlderThanTheirTtlOrBeyondTheCacheSizesOldestFirst() {
    DecisionMemory memory = new DecisionMemory();
    for (int i = 0; i < 5; i++) {
      memory.remember(TraceDecision.of(id(16, i), i % 2 == 0, "p", Optional.empty(), OptionalDouble.empty(), T0.plusSeconds(i)));
    }
    assertEquals(1, memory.forget(T0.plusSeconds(60), Duration.ofSeconds(59), 10, 10), "decided at T0, 60 s before: older than the TTL");
    assertTrue(memory.find(id(16, 0)).isEmpty());
    assertEquals(2, memory.forget(T0.plusSeconds(10), Duration.ofHours(1), 1, 1), "one kept and one dropped kept, the newest");
    assertEquals(List.of(id(16, 4), id(16, 3)), memory.all().stream().map(TraceDecision::traceId).toList());
  }
}
