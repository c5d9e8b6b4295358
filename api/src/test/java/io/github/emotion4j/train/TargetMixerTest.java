package io.github.emotion4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.NetworkPreset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TargetMixerTest {
  private static final int SIZE = 48 * 48;
  private static final int[] LABELS = {0, 3, 4, 6};

  private static TrainingConfig.Builder config() {
    return TrainingConfig.builder(NetworkPreset.LENET).labels(LabelSet.FER2013);
  }

  /** Image i is filled with the value i + 1, so a pixel tells which image it came from. */
  private static float[] images() {
    float[] data = new float[LABELS.length * SIZE];
    for (int i = 0; i < LABELS.length; i++) {
      java.util.Arrays.fill(data, i * SIZE, (i + 1) * SIZE, i + 1);
    }
    return data;
  }

  @Test
  void plainTargetsAreOneHotAndLeaveImagesAlone() {
    float[] data = images();
    float[] targets = new float[LABELS.length * 7];
    new TargetMixer(config().build()).apply(data, LABELS, LABELS.length, targets, new SplittableRandom(1));
    assertArrayEquals(images(), data);
    for (int i = 0; i < LABELS.length; i++) {
      for (int c = 0; c < 7; c++) {
        assertEquals(c == LABELS[i] ? 1f : 0f, targets[i * 7 + c]);
      }
    }
  }

  @Test
  void smoothingSpreadsEpsilonOverAllLabels() {
    float[] targets = new float[LABELS.length * 7];
    new TargetMixer(config().labelSmoothing(0.14).build())
        .apply(images(), LABELS, LABELS.length, targets, new SplittableRandom(1));
    assertEquals(1 - 0.14 + 0.02, targets[0], 1e-6); // image 0 is label 0
    assertEquals(0.02, targets[1], 1e-6);
    assertEquals(1.0, rowSum(targets, 0), 1e-6);
  }

  @Test
  void mixupBlendsPixelsAndTargetsByTheSameWeight() {
    float[] data = images();
    float[] targets = new float[LABELS.length * 7];
    new TargetMixer(config().mixing(0.4, 0).build()).apply(data, LABELS, LABELS.length, targets, new SplittableRandom(7));
    for (int i = 0; i < LABELS.length; i++) {
      double own = targets[i * 7 + LABELS[i]];
      assertTrue(own < 1, "every image is mixed with another: " + own);
      // pixel = own·(i+1) + (1-own)·(p+1) for the partner p, whose label takes the rest
      int partner = -1;
      for (int p = 0; p < LABELS.length; p++) {
        if (p != i && targets[i * 7 + LABELS[p]] > 0) {
          partner = p;
        }
      }
      assertTrue(partner >= 0);
      assertEquals(own * (i + 1) + (1 - own) * (partner + 1), data[i * SIZE + 100], 1e-4);
      assertEquals(1.0, rowSum(targets, i), 1e-6);
    }
  }

  @Test
  void cutmixTargetsFollowThePastedArea() {
    float[] data = images();
    float[] targets = new float[LABELS.length * 7];
    new TargetMixer(config().mixing(0, 1).build()).apply(data, LABELS, LABELS.length, targets, new SplittableRandom(3));
    for (int i = 0; i < LABELS.length; i++) {
      int kept = 0;
      for (int k = 0; k < SIZE; k++) {
        kept += data[i * SIZE + k] == i + 1 ? 1 : 0;
      }
      assertEquals(kept / (double) SIZE, targets[i * 7 + LABELS[i]], 1e-6, "image " + i);
      assertEquals(1.0, rowSum(targets, i), 1e-6);
    }
  }

  @Test
  void betaSamplesLieInTheUnitIntervalWithMeanOneHalf() {
    SplittableRandom random = new SplittableRandom(5);
    for (double alpha : new double[] {0.2, 1, 3}) {
      double sum = 0;
      for (int i = 0; i < 20_000; i++) {
        double b = TargetMixer.beta(alpha, random);
        assertTrue(b >= 0 && b <= 1, "Beta(" + alpha + ") gave " + b);
        sum += b;
      }
      assertEquals(0.5, sum / 20_000, 0.01, "Beta(" + alpha + ") mean");
    }
  }

  private static double rowSum(float[] targets, int row) {
    double s = 0;
    for (int c = 0; c < 7; c++) {
      s += targets[row * 7 + c];
    }
    return s;
  }
}
