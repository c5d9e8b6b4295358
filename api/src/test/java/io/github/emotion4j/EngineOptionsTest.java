package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.fakes.FakeBackend;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import org.junit.jupiter.api.Test;

/** Engine options: validation, copies, and the builder handing them to the backend. */
class EngineOptionsTest {
  @Test
  void defaultsAndCopies() {
    EngineOptions d = EngineOptions.DEFAULT;
    assertEquals(0, d.intraOpThreads());
    assertEquals(Runtime.getRuntime().availableProcessors(), d.intraOpThreadsOrDefault());
    assertEquals(EngineOptions.GraphOptimization.ALL, d.graphOptimization());
    assertTrue(d.memoryArena());
    EngineOptions o = d.withThreads(1, 2).withGraphOptimization(EngineOptions.GraphOptimization.BASIC)
        .withMemoryArena(false);
    assertEquals(new EngineOptions(1, 2, EngineOptions.GraphOptimization.BASIC, false), o);
    assertEquals(1, o.intraOpThreadsOrDefault());
    assertEquals(EngineOptions.GraphOptimization.EXTENDED, EngineOptions.parseGraphOptimization(" Extended "));
  }

  @Test
  void badValuesAreRefusedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineOptions.DEFAULT.withThreads(-1, 0));
    assertEquals("thread counts must be 0 (default) or more, got intra-op -1, inter-op 0", e.getMessage());
    IllegalArgumentException level = assertThrows(IllegalArgumentException.class,
        () -> EngineOptions.parseGraphOptimization("max"));
    assertEquals("Unknown graph optimisation \"max\"; use none, basic, extended or all", level.getMessage());
  }

  @Test
  void theBuilderHandsThemToTheBackend() {
    EngineOptions o = EngineOptions.DEFAULT.withThreads(1, 1);
    try (EmotionClassifier c = EmotionClassifier.builder().backend("fake")
        .model(TestData.randomPreset(NetworkPreset.LENET, 1)).engineOptions(o).build()) {
      assertSame(o, FakeBackend.lastOptions);
    }
    try (EmotionClassifier c = EmotionClassifier.builder().backend("fake")
        .model(TestData.randomPreset(NetworkPreset.LENET, 1)).build()) {
      assertSame(EngineOptions.DEFAULT, FakeBackend.lastOptions);
    }
  }
}
