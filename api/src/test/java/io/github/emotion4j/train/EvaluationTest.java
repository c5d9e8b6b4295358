package io.github.emotion4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.emotion4j.LabelSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Evaluation#of} on ten hand-scored pairs over the paper's four labels, with one label that
 * is never predicted (neutral) and one that has no image (sad).
 */
class EvaluationTest {
  private static final double EPS = 1e-12;
  private static final int ANGRY = 0;
  private static final int HAPPY = 1;
  private static final int NEUTRAL = 2;
  private static final int SAD = 3;

  /*
   * (truth -> predicted), ten pairs:
   *   angry   x5 -> angry, angry, angry, happy, sad
   *   happy   x3 -> happy, happy, angry
   *   neutral x2 -> happy, sad
   *   sad     x0
   *
   * Confusion matrix (rows truth, columns predicted; angry, happy, neutral, sad):
   *   angry   [3, 1, 0, 1]   row sum 5
   *   happy   [1, 2, 0, 0]   row sum 3
   *   neutral [0, 1, 0, 1]   row sum 2
   *   sad     [0, 0, 0, 0]   row sum 0 (no image)
   *   column sums: 4, 4, 0 (never predicted), 2
   *
   * accuracy  = (3 + 2 + 0 + 0) / 10 = 1/2
   * precision = angry 3/4, happy 2/4 = 1/2, neutral 0 (nothing predicted), sad 0/2 = 0
   * recall    = angry 3/5, happy 2/3, neutral 0/2 = 0, sad 0 (no image)
   * F1 angry  = 2 * 3/4 * 3/5 / (3/4 + 3/5) = (9/10) / (27/20) = 2/3
   * F1 happy  = 2 * 1/2 * 2/3 / (1/2 + 2/3) = (2/3) / (7/6) = 4/7
   * F1 neutral = F1 sad = 0 (precision + recall = 0)
   * macro-F1  = (2/3 + 4/7 + 0 + 0) / 4 = (26/21) / 4 = 13/42
   */
  private static final int[] TRUTH = {
    ANGRY, ANGRY, ANGRY, ANGRY, ANGRY, HAPPY, HAPPY, HAPPY, NEUTRAL, NEUTRAL
  };
  private static final int[] PREDICTED = {
    ANGRY, ANGRY, ANGRY, HAPPY, SAD, HAPPY, HAPPY, ANGRY, HAPPY, SAD
  };

  private static Evaluation evaluation() {
    return Evaluation.of(LabelSet.PAPER_FOUR, TRUTH, PREDICTED);
  }

  private static void assertDoubles(List<Double> expected, List<Double> actual) {
    assertEquals(expected.size(), actual.size(), actual::toString);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), actual.get(i), EPS, "index " + i + " of " + actual);
    }
  }

  @Test
  void confusionMatrixRowsAreTruthColumnsArePredictions() {
    Evaluation e = evaluation();
    assertEquals(List.of(
        List.of(3, 1, 0, 1),
        List.of(1, 2, 0, 0),
        List.of(0, 1, 0, 1),
        List.of(0, 0, 0, 0)), e.confusion());
    assertEquals(10, e.count());
    assertEquals(LabelSet.PAPER_FOUR, e.labels());
  }

  @Test
  void accuracyAndMacroF1() {
    Evaluation e = evaluation();
    assertEquals(0.5, e.accuracy(), EPS);
    assertEquals(13.0 / 42, e.macroF1(), EPS);
  }

  @Test
  void perClassPrecisionRecallAndF1() {
    Evaluation e = evaluation();
    assertDoubles(List.of(3.0 / 4, 1.0 / 2, 0.0, 0.0), e.precision());
    assertDoubles(List.of(3.0 / 5, 2.0 / 3, 0.0, 0.0), e.recall());
    assertDoubles(List.of(2.0 / 3, 4.0 / 7, 0.0, 0.0), e.f1());
  }

  @Test
  void neverPredictedAndImagelessClassesScoreZeroWithoutNaN() {
    Evaluation e = evaluation();
    for (int c : new int[] {NEUTRAL, SAD}) {
      assertEquals(0.0, e.precision().get(c));
      assertEquals(0.0, e.recall().get(c));
      assertEquals(0.0, e.f1().get(c));
    }
  }

  @Test
  void perfectPredictionsScoreOne() {
    Evaluation e = Evaluation.of(LabelSet.PAPER_FOUR, new int[] {0, 1, 2, 3, 3}, new int[] {0, 1, 2, 3, 3});
    assertEquals(1.0, e.accuracy());
    assertEquals(1.0, e.macroF1(), EPS);
    assertEquals(List.of(0, 0, 0, 2), e.confusion().get(3));
  }

  @Test
  void toMapHasTheReportKeysInOrder() {
    Map<String, Object> m = evaluation().toMap();
    assertEquals(List.of("images", "accuracy", "macro-f1", "labels", "per-class", "confusion", "skipped",
        "skipped-files"),
        List.copyOf(m.keySet()));
    assertEquals(10, m.get("images"));
    assertEquals(0.5, (double) m.get("accuracy"), EPS);
    assertEquals(13.0 / 42, (double) m.get("macro-f1"), EPS);
    assertEquals(List.of("angry", "happy", "neutral", "sad"), m.get("labels"));
    assertEquals(evaluation().confusion(), m.get("confusion"));

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> perClass = (Map<String, Map<String, Object>>) m.get("per-class");
    assertEquals(List.of("angry", "happy", "neutral", "sad"), List.copyOf(perClass.keySet()));
    for (Map<String, Object> c : perClass.values()) {
      assertEquals(List.of("precision", "recall", "f1", "support"), List.copyOf(c.keySet()));
    }
    assertEquals(3.0 / 4, (double) perClass.get("angry").get("precision"), EPS);
    assertEquals(3.0 / 5, (double) perClass.get("angry").get("recall"), EPS);
    assertEquals(4.0 / 7, (double) perClass.get("happy").get("f1"), EPS);
    assertEquals(5, perClass.get("angry").get("support"));
    assertEquals(3, perClass.get("happy").get("support"));
    assertEquals(2, perClass.get("neutral").get("support"));
    assertEquals(0, perClass.get("sad").get("support"));
  }

  @Test
  void listsAreCopiesAndUnmodifiable() {
    Evaluation e = evaluation();
    assertThrows(UnsupportedOperationException.class, () -> e.confusion().get(0).set(0, 99));
    assertThrows(UnsupportedOperationException.class, () -> e.precision().set(0, 1.0));
  }

  @Test
  void mismatchedOrEmptyInputIsRefused() {
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> Evaluation.of(LabelSet.PAPER_FOUR, new int[] {0, 1}, new int[] {0}));
    assertEquals("need as many predictions as labels, and at least one: 2 vs 1", lengths.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Evaluation.of(LabelSet.PAPER_FOUR, new int[0], new int[0]));
  }
}
