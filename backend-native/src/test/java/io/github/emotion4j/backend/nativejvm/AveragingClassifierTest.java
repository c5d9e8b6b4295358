package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AveragingClassifierTest {
  @Test
  void scoresAreTheMembersMeanAndClosingClosesThem() {
    List<Path> faces = TestData.fer2013Sample("test", 2);
    EmotionClassifier bundled = EmotionClassifier.builder().backend("native").build();
    EmotionClassifier other = EmotionClassifier.builder().backend("native")
        .model(TestData.randomPreset(NetworkPreset.VGG_BN, 11)).build();
    List<EmotionScores> a = bundled.classifyFiles(faces);
    List<EmotionScores> b = other.classifyFiles(faces);
    try (EmotionClassifier ensemble = EmotionClassifier.averaging(List.of(bundled, other))) {
      assertEquals("native+native", ensemble.backend());
      assertEquals(bundled.model(), ensemble.model());
      List<EmotionScores> averaged = ensemble.classifyFiles(faces);
      for (int i = 0; i < faces.size(); i++) {
        EmotionScores one = ensemble.classify(faces.get(i));
        for (int c = 0; c < 7; c++) {
          double mean = (a.get(i).probabilities().get(c) + b.get(i).probabilities().get(c)) / 2;
          assertEquals(mean, averaged.get(i).probabilities().get(c), 1e-9, faces.get(i) + " label " + c);
          assertEquals(mean, one.probabilities().get(c), 1e-6, faces.get(i) + " label " + c);
        }
      }
    }
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> bundled.classify(faces.get(0)));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }

  @Test
  void membersMustShareTheirLabels() {
    try (EmotionClassifier seven = EmotionClassifier.builder().backend("native").build();
        EmotionClassifier four = EmotionClassifier.builder().backend("native").labels(LabelSet.PAPER_FOUR).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> EmotionClassifier.averaging(List.of(seven, four)));
      assertTrue(e.getMessage().startsWith("cannot average fer2013-vgg-bn"), e.getMessage());
      assertTrue(e.getMessage().contains("[angry, happy, neutral, sad]"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> EmotionClassifier.averaging(List.of(seven)));
    }
  }
}
