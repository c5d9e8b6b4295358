package io.github.emotion4j.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder's thread counts reach PyTorch (per process) and do not change the scores. */
class PyTorchEngineOptionsTest {
  private static final ModelPackage MODEL = TestData.randomPreset(NetworkPreset.VGG_BN, 9);

  private static List<EmotionScores> classify(EngineOptions options, int expectedThreads) {
    List<Path> images = TestData.fer2013Sample("test", 1);
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").device(Device.CPU)
        .model(MODEL).engineOptions(options).build()) {
      assertEquals(expectedThreads, JniUtils.getNumThreads(), "intra-op threads for " + options);
      return c.classifyFiles(images);
    }
  }

  @Test
  void intraOpThreadsAreSetAndTheDefaultIsHalfTheProcessors() {
    List<EmotionScores> one = classify(EngineOptions.DEFAULT.withThreads(1, 0), 1);
    List<EmotionScores> two = classify(EngineOptions.DEFAULT.withThreads(2, 0), 2);
    List<EmotionScores> byDefault = classify(EngineOptions.DEFAULT, PyTorchBackend.defaultIntraOpThreads());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), PyTorchBackend.defaultIntraOpThreads());
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i).top().label(), two.get(i).top().label());
      assertEquals(one.get(i).top().label(), byDefault.get(i).top().label());
      for (int j = 0; j < 7; j++) {
        assertEquals(one.get(i).probabilities().get(j), two.get(i).probabilities().get(j), 1e-5);
      }
    }
  }

  @Test
  void anInterOpCountAfterParallelWorkIsLoggedNotThrown() {
    classify(EngineOptions.DEFAULT.withThreads(1, 0), 1); // the engine has run
    int before = JniUtils.getNumInteropThreads();
    int other = before == 3 ? 4 : 3;
    classify(EngineOptions.DEFAULT.withThreads(1, other), 1);
    int after = JniUtils.getNumInteropThreads();
    // PyTorch either took it (no inter-op work had started yet) or kept its count
    assertTrue(after == before || after == other, before + " -> " + after);
  }
}
