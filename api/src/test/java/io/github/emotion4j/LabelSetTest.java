package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two built-in label sets, parsing and aliases. */
class LabelSetTest {
  @Test
  void builtInSets() {
    assertEquals(List.of("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"), LabelSet.FER2013.labels());
    assertEquals(List.of("angry", "happy", "neutral", "sad"), LabelSet.PAPER_FOUR.labels());
    assertTrue(LabelSet.FER2013.containsAll(LabelSet.PAPER_FOUR));
    assertFalse(LabelSet.PAPER_FOUR.containsAll(LabelSet.FER2013));
    assertEquals(7, LabelSet.FER2013.size());
    assertEquals("surprise", LabelSet.FER2013.get(6));
  }

  @Test
  void parse() {
    assertEquals(LabelSet.FER2013, LabelSet.parse("7"));
    assertEquals(LabelSet.FER2013, LabelSet.parse(" FER2013 "));
    assertEquals(LabelSet.PAPER_FOUR, LabelSet.parse("4"));
    assertEquals(LabelSet.PAPER_FOUR, LabelSet.parse("paper4"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("5"));
    assertEquals("Unknown label set \"5\". Use 7 (fer2013) or 4 (paper4)", e.getMessage());
  }

  @Test
  void aliasesMapOtherCollectionsOntoOurs() {
    assertEquals("happy", LabelSet.canonical("happiness"));
    assertEquals("sad", LabelSet.canonical("Cry"));
    assertEquals("sad", LabelSet.canonical("sadness"));
    assertEquals("angry", LabelSet.canonical("anger"));
    assertEquals("neutral", LabelSet.canonical("calm"));
    assertEquals("surprise", LabelSet.canonical(" Surprised "));
    assertEquals("contempt", LabelSet.canonical("Contempt"), "unknown labels are lower-cased only");
    assertEquals(Optional.of(3), LabelSet.FER2013.indexOf("HAPPINESS"));
    assertEquals(Optional.of(3), LabelSet.PAPER_FOUR.indexOf("cry"));
    assertEquals(Optional.empty(), LabelSet.PAPER_FOUR.indexOf("fear"));
  }

  @Test
  void validation() {
    assertThrows(IllegalArgumentException.class, () -> new LabelSet("one", List.of("happy")));
    assertThrows(IllegalArgumentException.class, () -> new LabelSet("dup", List.of("happy", "happy")));
    assertThrows(IllegalArgumentException.class, () -> new LabelSet("blank", List.of("happy", " ")));
    assertThrows(NullPointerException.class, () -> new LabelSet(null, List.of("a", "b")));
    assertEquals(List.of("b", "a"), new LabelSet("order", List.of("b", "a")).labels(), "order is kept");
  }
}
