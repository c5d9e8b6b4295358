package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API kernels and the plain loops agree within float tolerance: on every preset, on
 * random convolution shapes (odd sizes, strides, paddings, channel counts), and on random 3×3 layers
 * that the vector kernels run as Winograd convolutions where they can.
 */
class KernelPathsTest {
  /** Relative to the logit scale: both paths sum in the same order, so they differ by rounding only. */
  private static final double TOLERANCE = 1e-5;

  private static void assertPathsAgree(ModelPackage model, int n, long seed, String what) {
    float[] data = Nets.images(model, n, seed);
    float[] vector = Nets.run(model, NativeBackend.KernelChoice.VECTOR, data, n);
    float[] plain = Nets.run(model, NativeBackend.KernelChoice.PLAIN, data, n);
    assertEquals(plain.length, vector.length);
    double scale = 1;
    for (float v : plain) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < plain.length; i++) {
      assertEquals(plain[i], vector[i], TOLERANCE * scale, what + " logit " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(NetworkPreset.class)
  void presetsAgree(NetworkPreset preset) {
    assertPathsAgree(TestData.randomPreset(preset, 3), 7, 9, preset.id());
  }

  @Test
  void randomConvolutionShapesAgree() {
    SplittableRandom r = new SplittableRandom(2024);
    for (int trial = 0; trial < 24; trial++) {
      int channels = r.nextBoolean() ? 1 : 3;
      int k = 1 + r.nextInt(5);
      int stride = 1 + r.nextInt(3);
      int padding = r.nextInt(k / 2 + 1);
      int h = k + r.nextInt(12);
      int w = k + r.nextInt(12);
      int filters = 1 + r.nextInt(40);
      int units = 1 + r.nextInt(30);
      List<io.github.emotion4j.model.LayerSpec> layers = new ArrayList<>();
      layers.add(new io.github.emotion4j.model.LayerSpec.Conv2d(filters, k, stride, padding, r.nextBoolean()));
      layers.add(r.nextBoolean() ? new io.github.emotion4j.model.LayerSpec.Relu()
          : new io.github.emotion4j.model.LayerSpec.LeakyRelu(0.05));
      layers.add(new io.github.emotion4j.model.LayerSpec.Flatten());
      layers.add(new io.github.emotion4j.model.LayerSpec.Dense(units, true));
      layers.add(new io.github.emotion4j.model.LayerSpec.Relu());
      layers.add(new io.github.emotion4j.model.LayerSpec.Dense(3, r.nextBoolean()));
      ModelPackage model = Nets.model(channels, h, w, 3, trial,
          layers.toArray(new io.github.emotion4j.model.LayerSpec[0]));
      int n = 1 + r.nextInt(9);
      String what = "trial " + trial + ": " + channels + "x" + h + "x" + w + " conv " + filters + "@"
          + k + "/" + stride + " pad " + padding + ", batch " + n;
      assertPathsAgree(model, n, trial, what);
      Nets.assertMatchesReference(model, Nets.images(model, n, trial),
          Nets.run(model, NativeBackend.KernelChoice.VECTOR, Nets.images(model, n, trial), n), n,
          1e-4, what);
    }
  }

  @Test
  void randomWinogradShapesAgree() {
    SplittableRandom r = new SplittableRandom(2026);
    int winograd = 0;
    for (int trial = 0; trial < 20; trial++) {
      // a first convolution makes a map stored in whole blocks, which Winograd needs
      int first = 1 + r.nextInt(40);
      int filters = 1 + r.nextInt(40);
      int padding = r.nextInt(3);
      boolean odd = trial % 4 == 3; // an odd output keeps the direct path
      int h = 4 + 2 * r.nextInt(7) + (odd ? 1 : 0); // out = h + 2 * padding - 2: even unless odd
      int w = 4 + 2 * r.nextInt(7);
      ModelPackage model = Nets.model(1, h, w, 3, trial,
          new io.github.emotion4j.model.LayerSpec.Conv2d(first, 3, 1, 1, true),
          new io.github.emotion4j.model.LayerSpec.Relu(),
          new io.github.emotion4j.model.LayerSpec.Conv2d(filters, 3, 1, padding, r.nextBoolean()),
          r.nextBoolean() ? new io.github.emotion4j.model.LayerSpec.Relu()
              : new io.github.emotion4j.model.LayerSpec.LeakyRelu(0.1),
          new io.github.emotion4j.model.LayerSpec.Flatten(),
          new io.github.emotion4j.model.LayerSpec.Dense(3, true));
      try (NativeNetwork net = (NativeNetwork) new NativeBackend(NativeBackend.KernelChoice.VECTOR)
          .load(model, io.github.emotion4j.Device.CPU)) {
        if (net.plan().maps[1] instanceof MapOp.Winograd) {
          winograd++;
        }
      }
      int n = 1 + r.nextInt(5);
      String what = "trial " + trial + ": 1x" + h + "x" + w + " conv " + first + " then " + filters
          + "@3 pad " + padding + ", batch " + n;
      assertPathsAgree(model, n, trial, what);
      Nets.assertMatchesReference(model, Nets.images(model, n, trial),
          Nets.run(model, NativeBackend.KernelChoice.VECTOR, Nets.images(model, n, trial), n), n,
          1e-4, what);
    }
    // odd maps and tiny maps stay direct; the rest must really have taken the Winograd path
    assertTrue(winograd >= 10, "only " + winograd + " of 20 trials ran Winograd");
  }
}
