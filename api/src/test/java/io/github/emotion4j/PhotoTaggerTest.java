package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How a host application tests its own code: it depends on the {@link EmotionClassifier} interface
 * and mocks it, with no backend, model or image needed.
 */
class PhotoTaggerTest {

  /** A host's class: tags photos with their likeliest emotion, or "unsure" below a threshold. */
  static final class PhotoTagger {
    private final EmotionClassifier classifier;
    private final double threshold;

    PhotoTagger(EmotionClassifier classifier, double threshold) {
      this.classifier = classifier;
      this.threshold = threshold;
    }

    Map<Path, String> tag(List<Path> photos) {
      Map<Path, String> tags = new LinkedHashMap<>();
      for (Path photo : photos) {
        try {
          ScoredLabel top = classifier.classify(photo).top();
          tags.put(photo, top.probability() >= threshold ? top.label() : "unsure");
        } catch (InvalidImageException e) {
          tags.put(photo, "unreadable");
        }
      }
      return tags;
    }

    /** Counts the paper's four classes over many photos, classified in one batch call. */
    Map<String, Integer> paperFourHistogram(List<Path> photos) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      LabelSet.PAPER_FOUR.labels().forEach(l -> counts.put(l, 0));
      for (EmotionScores s : classifier.classifyFiles(photos)) {
        counts.merge(s.restrictTo(LabelSet.PAPER_FOUR).top().label(), 1, Integer::sum);
      }
      return counts;
    }
  }

  private static EmotionScores scores(double... p) {
    List<Double> list = new ArrayList<>();
    for (double v : p) {
      list.add(v);
    }
    return new EmotionScores(LabelSet.FER2013, list);
  }

  @Test
  void tagsEachPhotoWithoutAnyBackend() {
    EmotionClassifier classifier = mock(EmotionClassifier.class);
    Path happy = Path.of("beach.jpg");
    Path unsure = Path.of("blurry.jpg");
    Path broken = Path.of("broken.jpg");
    when(classifier.classify(happy)).thenReturn(scores(0, 0, 0, 0.9, 0.1, 0, 0));
    when(classifier.classify(unsure)).thenReturn(scores(0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.1));
    when(classifier.classify(broken)).thenThrow(new InvalidImageException("Image broken.jpg is damaged"));

    Map<Path, String> tags = new PhotoTagger(classifier, 0.5).tag(List.of(happy, unsure, broken));

    assertEquals(Map.of(happy, "happy", unsure, "unsure", broken, "unreadable"), tags);
    verify(classifier).classify(happy);
    verify(classifier, never()).close();
  }

  @Test
  void histogramOverThePaperFourClasses() {
    EmotionClassifier classifier = mock(EmotionClassifier.class);
    when(classifier.classifyFiles(any())).thenReturn(List.of(
        scores(0, 0, 0, 0.9, 0.1, 0, 0),
        scores(0.1, 0, 0.6, 0, 0.1, 0.2, 0), // fear is not among the four: sad wins after renormalising
        scores(0.5, 0.3, 0, 0, 0.2, 0, 0)));
    Map<String, Integer> histogram =
        new PhotoTagger(classifier, 0.5).paperFourHistogram(List.of(Path.of("a"), Path.of("b"), Path.of("c")));
    assertEquals(Map.of("angry", 1, "happy", 1, "neutral", 0, "sad", 1), histogram);
  }

  @Test
  void theHostSeesTypedErrorsFromTheMock() {
    EmotionClassifier classifier = mock(EmotionClassifier.class);
    when(classifier.classifyFiles(any())).thenThrow(new BackendUnavailableException("no backend"));
    assertThrows(Emotion4jException.class, () -> new PhotoTagger(classifier, 0.5).paperFourHistogram(List.of()));
  }
}
