package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The accuracy the bundled model's provenance states (and the README repeats) is what it scores on
 * the whole FER2013 test split here, so the published figure cannot drift from the model that ships.
 */
class BundledModelAccuracyTest {
  @Test
  void wholeTestSplitAccuracyMatchesTheProvenance() throws IOException {
    Path test = TestData.fer2013("test");
    List<Path> files = new ArrayList<>();
    List<String> truth = new ArrayList<>();
    try (Stream<Path> labels = Files.list(test).sorted()) {
      for (Path label : labels.toList()) {
        try (Stream<Path> images = Files.list(label).sorted()) {
          images.forEach(image -> {
            files.add(image);
            truth.add(label.getFileName().toString());
          });
        }
      }
    }
    try (EmotionClassifier classifier = EmotionClassifier.builder().backend("native").batchSize(256).build()) {
      List<EmotionScores> scores = classifier.classifyFiles(files);
      int correct = 0;
      for (int i = 0; i < files.size(); i++) {
        correct += scores.get(i).top().label().equals(truth.get(i)) ? 1 : 0;
      }
      var metrics = classifier.model().provenance().metrics();
      assertEquals("test", metrics.get("split"));
      assertEquals(((Number) metrics.get("images")).intValue(), files.size());
      double stated = ((Number) metrics.get("accuracy")).doubleValue();
      assertEquals(Math.round(stated * files.size()), correct,
          classifier.model().name() + " " + classifier.model().version() + " states " + stated + " on test, scores "
              + correct + "/" + files.size());
    }
  }
}
