package io.github.emotion4j.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.EngineOptions.GraphOptimization;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.ReferenceNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every session option reaches ONNX Runtime (a name it does not know fails the load) and none
 * changes the answer: logits match the reference on real images.
 */
class OrtEngineOptionsTest {
  private static final ModelPackage MODEL = TestData.randomPreset(NetworkPreset.VGG_BN, 5);

  private static void assertSessionMatchesTheReference(EngineOptions options) {
    List<Path> images = TestData.fer2013Sample("test", 1);
    float[] data = TestData.preprocessed(MODEL, images);
    try (RunnableNetwork net = new OnnxRuntimeBackend().load(MODEL, Device.CPU, options)) {
      float[] logits = net.logits(new InputBatch(data, images.size(), MODEL.input().shape()));
      ReferenceNetwork.assertMatches(MODEL, data, logits, images.size());
    }
  }

  @ParameterizedTest
  @EnumSource(GraphOptimization.class)
  void everyGraphOptimisationLevelLoadsAndAgrees(GraphOptimization level) {
    assertSessionMatchesTheReference(EngineOptions.DEFAULT.withThreads(1, 0).withGraphOptimization(level));
  }

  @Test
  void arenaOffAndParallelExecutionLoadAndAgree() {
    assertSessionMatchesTheReference(EngineOptions.DEFAULT.withMemoryArena(false));
    assertSessionMatchesTheReference(EngineOptions.DEFAULT.withThreads(2, 2));
  }

  @Test
  void threadsComeFromTheOptionsThenThePropertyThenTheProcessors() {
    assertEquals(3, OrtNetwork.threads(EngineOptions.DEFAULT.withThreads(3, 0)));
    assertEquals(Runtime.getRuntime().availableProcessors(), OrtNetwork.threads(EngineOptions.DEFAULT));
    System.setProperty(OrtNetwork.THREADS_PROPERTY, "1");
    try {
      assertEquals(1, OrtNetwork.threads(EngineOptions.DEFAULT));
      assertEquals(2, OrtNetwork.threads(EngineOptions.DEFAULT.withThreads(2, 0)));
    } finally {
      System.clearProperty(OrtNetwork.THREADS_PROPERTY);
    }
  }

  @Test
  void theBuilderPassesThemThrough() {
    try (EmotionClassifier c = EmotionClassifier.builder().backend("onnxruntime").model(MODEL)
        .engineOptions(EngineOptions.DEFAULT.withThreads(1, 1).withGraphOptimization(GraphOptimization.BASIC))
        .build()) {
      assertEquals("onnxruntime", c.backend());
      assertEquals(c.classify(TestData.fer2013Sample("test", 1).get(0)).top(),
          c.classify(TestData.fer2013Sample("test", 1).get(0)).top());
    }
  }
}
