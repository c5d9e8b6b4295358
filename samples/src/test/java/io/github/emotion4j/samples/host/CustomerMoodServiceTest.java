package io.github.emotion4j.samples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host's service tested with a mocked classifier: no engine, model or image. */
class CustomerMoodServiceTest {
  private static final byte[] SMILE = {1};
  private static final byte[] FROWN = {2};
  private static final byte[] BROKEN = {3};

  // angry, disgust, fear, happy, neutral, sad, surprise
  private static EmotionScores scores(double... p) {
    return new EmotionScores(LabelSet.FER2013, java.util.Arrays.stream(p).boxed().toList());
  }

  private final EmotionClassifier classifier = mock(EmotionClassifier.class);

  @Test
  void readsTheTopEmotionAndSatisfaction() {
    when(classifier.classify(SMILE)).thenReturn(scores(0.05, 0, 0, 0.8, 0.05, 0, 0.1));
    CustomerMoodService.Reading r = new CustomerMoodService(classifier, 0.5).read(SMILE);
    assertEquals("happy", r.emotion());
    assertEquals(0.8, r.confidence(), 1e-12);
    assertEquals(0.8 + 0.1 - 0.05, r.satisfaction(), 1e-12);
  }

  @Test
  void belowTheThresholdTheReadingIsUnsure() {
    when(classifier.classify(FROWN)).thenReturn(scores(0.3, 0, 0.1, 0.1, 0.2, 0.2, 0.1));
    CustomerMoodService.Reading r = new CustomerMoodService(classifier, 0.5).read(FROWN);
    assertEquals("unsure", r.emotion());
    assertEquals(0.2 - 0.6, r.satisfaction(), 1e-12);
  }

  @Test
  void averageSkipsUnreadablePhotos() {
    when(classifier.classify(SMILE)).thenReturn(scores(0, 0, 0, 1, 0, 0, 0));
    when(classifier.classify(FROWN)).thenReturn(scores(0, 0, 0, 0, 0, 1, 0));
    when(classifier.classify(BROKEN)).thenThrow(new InvalidImageException("Image broken is not an image"));
    CustomerMoodService service = new CustomerMoodService(classifier, 0.5);
    assertEquals((1 - 1 + 1) / 3.0, service.averageSatisfaction(List.of(SMILE, FROWN, BROKEN, SMILE)), 1e-12);
    verify(classifier, times(2)).classify(SMILE);

    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> service.averageSatisfaction(List.of(BROKEN)));
    assertEquals("none of the 1 photos could be read", none.getMessage());
  }

  @Test
  void worksWithAFourLabelView() {
    when(classifier.classify(any(byte[].class)))
        .thenReturn(new EmotionScores(LabelSet.PAPER_FOUR, List.of(0.1, 0.6, 0.2, 0.1)));
    CustomerMoodService.Reading r = new CustomerMoodService(classifier, 0).read(SMILE);
    assertEquals("happy", r.emotion());
    assertEquals(0.6 - 0.1 - 0.1, r.satisfaction(), 1e-12);
  }

  @Test
  void refusesABadThreshold() {
    assertThrows(IllegalArgumentException.class, () -> new CustomerMoodService(classifier, 1.5));
    assertThrows(NullPointerException.class, () -> new CustomerMoodService(null, 0.5));
  }
}
