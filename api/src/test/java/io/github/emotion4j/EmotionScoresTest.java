package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Softmax, ordering and the four-class view, checked against values computed by hand. */
class EmotionScoresTest {
  private static EmotionScores seven(double... p) {
    List<Double> list = new java.util.ArrayList<>();
    for (double v : p) {
      list.add(v);
    }
    return new EmotionScores(LabelSet.FER2013, list);
  }

  @Test
  void softmaxByHand() {
    float[] logits = {9, 9, 1, 2, 3, 0, 0, 0, 0, 0}; // offset 2: seven logits 1, 2, 3, 0, 0, 0, 0
    EmotionScores s = EmotionScores.fromLogits(LabelSet.FER2013, logits, 2);
    double z = Math.E + Math.exp(2) + Math.exp(3) + 4;
    assertEquals(Math.E / z, s.probability("angry"), 1e-12);
    assertEquals(Math.exp(2) / z, s.probability("disgust"), 1e-12);
    assertEquals(Math.exp(3) / z, s.probability("fear"), 1e-12);
    assertEquals(1 / z, s.probability("surprise"), 1e-12);
    assertEquals(1.0, s.probabilities().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
  }

  @Test
  void probabilitiesMustSumToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> seven(0.5, 0.5, 0.5, 0, 0, 0, 0));
    assertTrue(e.getMessage().startsWith("probabilities sum to 1.5, not 1"), e.getMessage());
    assertEquals(1.0, seven(0.2, 0.1, 0.1, 0.2, 0.2, 0.1, 0.10005).probabilities().stream()
        .mapToDouble(Double::doubleValue).sum(), 1e-4, "double rounding is forgiven");
  }

  @Test
  void fromProbabilitiesRefusesOutputsThatAreNotADistribution() {
    float[] logits = {2.5f, -1, 0.3f, 4, 0, 1, -2};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmotionScores.fromProbabilities(LabelSet.FER2013, logits, 0));
    assertTrue(e.getMessage().contains("the outputs are not probabilities: [2.5, -1.0, 0.3, 4.0, 0.0, 1.0, -2.0]"),
        e.getMessage());
    assertTrue(e.getMessage().contains("output.kind must be \"logits\""), e.getMessage());
    float[] sigmoids = {0.9f, 0.1f, 0.2f, 0.8f, 0.4f, 0.3f, 0.5f}; // each in [0, 1], sum 3.2
    assertThrows(IllegalArgumentException.class, () -> EmotionScores.fromProbabilities(LabelSet.FER2013, sigmoids, 0));
    float[] rounded = {0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.1f, 0.1002f, 0.5f}; // float32 softmax, 1.0002
    EmotionScores s = EmotionScores.fromProbabilities(LabelSet.FER2013, rounded, 0);
    assertEquals(1.0, s.probabilities().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
    assertEquals("happy", s.top().label());
  }

  @Test
  void softmaxIsStableForHugeLogits() {
    float[] logits = {1000, 999, -1000, -1e30f, 0, 0, 0};
    EmotionScores s = EmotionScores.fromLogits(LabelSet.FER2013, logits, 0);
    assertEquals(1 / (1 + Math.exp(-1)), s.probability("angry"), 1e-12);
    assertEquals(0.0, s.probability("fear"), 0.0);
    assertEquals("angry", s.top().label());
  }

  @Test
  void topTopKAndSorted() {
    EmotionScores s = seven(0.05, 0.05, 0.1, 0.4, 0.2, 0.1, 0.1);
    assertEquals(new ScoredLabel("happy", 0.4), s.top());
    assertEquals(List.of(new ScoredLabel("happy", 0.4), new ScoredLabel("neutral", 0.2)), s.topK(2));
    assertEquals(List.of(), s.topK(0));
    assertEquals(7, s.topK(100).size());
    List<ScoredLabel> sorted = s.sorted();
    assertEquals(List.of("happy", "neutral", "fear", "sad", "surprise", "angry", "disgust"),
        sorted.stream().map(ScoredLabel::label).toList(), "ties keep label order");
    assertThrows(IllegalArgumentException.class, () -> s.topK(-1));
    assertThrows(UnsupportedOperationException.class, () -> sorted.add(new ScoredLabel("x", 0)));
    assertEquals(List.of("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"),
        List.copyOf(s.asMap().keySet()));
    EmotionScores tie = seven(0.3, 0.3, 0.1, 0.1, 0.1, 0.05, 0.05);
    assertEquals("angry", tie.top().label(), "first label wins a tie");
  }

  @Test
  void restrictToPaperFourRenormalises() {
    EmotionScores s = seven(0.1, 0.05, 0.15, 0.3, 0.2, 0.1, 0.1);
    EmotionScores four = s.restrictTo(LabelSet.PAPER_FOUR);
    double kept = 0.1 + 0.3 + 0.2 + 0.1;
    assertEquals(LabelSet.PAPER_FOUR, four.labels());
    assertEquals(0.1 / kept, four.probability("angry"), 1e-12);
    assertEquals(0.3 / kept, four.probability("happy"), 1e-12);
    assertEquals(0.2 / kept, four.probability("neutral"), 1e-12);
    assertEquals(0.1 / kept, four.probability("sad"), 1e-12);
    assertEquals(0.1 / kept, four.probability("cry"), 1e-12, "the paper's name for sad");
    assertEquals("happy", four.top().label());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> four.restrictTo(LabelSet.FER2013));
    assertTrue(e.getMessage().startsWith("Cannot view scores over [angry, happy, neutral, sad] as"), e.getMessage());
    EmotionScores onlyFear = seven(0, 0, 1, 0, 0, 0, 0);
    assertThrows(IllegalArgumentException.class, () -> onlyFear.restrictTo(LabelSet.PAPER_FOUR));
  }

  @Test
  void aliasesAndValidation() {
    EmotionScores s = seven(0.1, 0.05, 0.15, 0.3, 0.2, 0.1, 0.1);
    assertEquals(0.3, s.probability("Happiness"), 0);
    assertEquals(0.1, s.probability("anger"), 0);
    assertEquals(0.05, s.probability("disgusted"), 0);
    assertEquals(0.15, s.probability("fearful"), 0);
    assertEquals(0.1, s.probability("sadness"), 0);
    assertEquals(0.1, s.probability("surprised"), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.probability("contempt"));
    assertEquals("No label \"contempt\" in [angry, disgust, fear, happy, neutral, sad, surprise]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> seven(0.5, 0.5));
    assertThrows(IllegalArgumentException.class, () -> seven(1.5, -0.5, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> seven(Double.NaN, 0, 0, 0, 0, 0, 1));
  }
}
