package io.github.emotion4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.model.InputContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  private static final int SIZE = 48 * 48;

  /** A horizontal ramp, so zooming changes the spread of values. */
  private static float[] ramp() {
    float[] image = new float[SIZE];
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 48; x++) {
        image[y * 48 + x] = (x - 23.5f) / 24;
      }
    }
    return image;
  }

  @Test
  void noAugmentationCopiesTheImage() {
    float[] out = new float[SIZE];
    new Augmenter(Augmentation.NONE, InputContract.FER2013).apply(ramp(), 0, out, 0, new SplittableRandom(1));
    assertArrayEquals(ramp(), out, 1e-6f);
  }

  @Test
  void erasingBlanksOneBoxOfTwoToTwentyFivePercent() {
    Augmenter erase = new Augmenter(Augmentation.NONE.withErasing(1), InputContract.FER2013);
    SplittableRandom random = new SplittableRandom(2);
    float[] src = new float[SIZE];
    java.util.Arrays.fill(src, 1f);
    for (int trial = 0; trial < 50; trial++) {
      float[] out = new float[SIZE];
      erase.apply(src, 0, out, 0, random);
      int blank = 0;
      for (float v : out) {
        blank += v == 0f ? 1 : 0;
      }
      assertTrue(blank >= 0.015 * SIZE && blank <= 0.27 * SIZE, "erased " + blank + " pixels");
    }
  }

  @Test
  void zoomChangesTheRampsSlopeBothWaysWithinTheRange() {
    Augmenter zoom = new Augmenter(Augmentation.NONE.withScale(0.3), InputContract.FER2013);
    SplittableRandom random = new SplittableRandom(3);
    boolean sawIn = false;
    boolean sawOut = false;
    for (int trial = 0; trial < 20; trial++) {
      float[] out = new float[SIZE];
      zoom.apply(ramp(), 0, out, 0, random);
      // the ramp's slope across the centre row: zoom z samples the source 1/z as far apart
      double slope = out[24 * 48 + 30] - out[24 * 48 + 17];
      double plain = ramp()[24 * 48 + 30] - ramp()[24 * 48 + 17];
      sawIn |= slope < plain * 0.95;
      sawOut |= slope > plain * 1.05;
      assertTrue(slope > plain / 1.31 && slope < plain / 0.69, "slope " + slope + " vs " + plain);
    }
    assertTrue(sawIn && sawOut, "±30% zoom should go both ways in 20 draws");
  }

  @Test
  void blurSmoothsAndNoiseRoughensACheckerboardKeepingItsMean() {
    float[] board = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      board[i] = ((i / 48 + i % 48) % 2 == 0) ? 0.5f : -0.5f;
    }
    float[] blurred = new float[SIZE];
    Augmenter blur = new Augmenter(new Augmentation(0, 0, false, 0, 0, 0, 2, 0, 0), InputContract.FER2013);
    SplittableRandom random = new SplittableRandom(4);
    double smallest = Double.MAX_VALUE;
    for (int trial = 0; trial < 10; trial++) {
      blur.apply(board, 0, blurred, 0, random);
      smallest = Math.min(smallest, roughness(blurred));
      assertEquals(0, mean(blurred), 1e-3);
    }
    assertTrue(smallest < 0.2 * roughness(board), "a blur of σ up to 2 flattens a checkerboard: " + smallest);

    float[] flat = new float[SIZE];
    float[] noisy = new float[SIZE];
    Augmenter noise = new Augmenter(new Augmentation(0, 0, false, 0, 0, 0, 0, 0.1, 0), InputContract.FER2013);
    double largest = 0;
    for (int trial = 0; trial < 10; trial++) {
      noise.apply(flat, 0, noisy, 0, random);
      largest = Math.max(largest, roughness(noisy));
    }
    assertTrue(largest > 0.01, "noise up to 0.1 of the range roughens a flat image: " + largest);
  }

  private static double roughness(float[] image) {
    double s = 0;
    for (int i = 1; i < image.length; i++) {
      s += Math.abs(image[i] - image[i - 1]);
    }
    return s / image.length;
  }

  private static double mean(float[] image) {
    double s = 0;
    for (float v : image) {
      s += v;
    }
    return s / image.length;
  }

  @Test
  void outOfRangeSettingsNameThemselves() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Augmentation.STANDARD.withErasing(1.5));
    assertTrue(e.getMessage().contains("erasing 1.5"), e.getMessage());
    assertEquals(java.util.List.of("rotate ±10.0°", "scale ±0.1", "random crop, zero padding 4", "horizontal flip p=0.5",
        "brightness ±0.2", "contrast ±0.2", "random erasing p=0.25"),
        Augmentation.STANDARD.withScale(0.1).withErasing(0.25).describe());
    assertEquals(java.util.List.of("rotate ±10.0°", "scale ±0.1", "random crop, zero padding 4", "horizontal flip p=0.5",
        "gaussian blur σ≤1.0 p=0.5", "brightness ±0.2", "contrast ±0.4", "pixel noise sd≤0.03 p=0.5"),
        Augmentation.ROBUST.describe());
  }
}
