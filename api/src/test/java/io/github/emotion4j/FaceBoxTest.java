package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Clipping a box to its image. */
class FaceBoxTest {
  @Test
  void clipKeepsThePartInsideTheImage() {
    assertEquals(new FaceBox(24, 0, 275, 360), new FaceBox(24, -1, 275, 362).clip(300, 360));
    assertEquals(new FaceBox(0, 0, 300, 360), new FaceBox(-10, -10, 400, 400).clip(300, 360));
    assertEquals(new FaceBox(5, 6, 7, 8), new FaceBox(5, 6, 7, 8).clip(300, 360), "inside: unchanged");
    assertEquals(new FaceBox(299, 359, 1, 1), new FaceBox(500, 500, 10, 10).clip(300, 360));
    assertEquals(new FaceBox(0, 0, 1, 1), new FaceBox(-50, -50, 10, 10).clip(300, 360));
    assertThrows(IllegalArgumentException.class, () -> new FaceBox(0, 0, 1, 1).clip(0, 5));
  }
}
