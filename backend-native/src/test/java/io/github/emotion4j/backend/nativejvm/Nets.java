package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emotion4j.Device;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.ReferenceNetwork;
import io.github.emotion4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Small networks with random weights and inputs, and comparisons with the reference. */
final class Nets {
  private Nets() {}

  /** A package for a layer list on a {@code channels × h × w} input with {@code labels} outputs. */
  static ModelPackage model(int channels, int h, int w, int labels, long seed, LayerSpec... layers) {
    List<Double> mean = new ArrayList<>();
    List<Double> std = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      mean.add(0.5);
      std.add(0.5);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < labels; i++) {
      names.add("label" + i);
    }
    return TestData.randomPackage("tiny", new InputContract(channels, h, w, mean, std, "area"),
        List.of(layers), new LabelSet("test", names), seed);
  }

  /** {@code n} random images for a package, values in [-1, 1]. */
  static float[] images(ModelPackage model, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] data = new float[n * model.input().imageSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextDouble(-1, 1);
    }
    return data;
  }

  /** Runs a batch through a network loaded with the given kernels. */
  static float[] run(ModelPackage model, NativeBackend.KernelChoice kernels, float[] data, int n) {
    try (RunnableNetwork net = new NativeBackend(kernels).load(model, Device.CPU)) {
      return net.logits(new InputBatch(data, n, model.input().shape()));
    }
  }

  /**
   * Asserts logits match the double-precision reference within {@code tolerance} relative to the
   * logit scale, image by image.
   */
  static void assertMatchesReference(ModelPackage model, float[] data, float[] logits, int n,
      double tolerance, String what) {
    int size = model.input().imageSize();
    int labels = model.labels().size();
    assertEquals(n * labels, logits.length, what + ": logits length");
    for (int i = 0; i < n; i++) {
      double[] ref = ReferenceNetwork.logits(model, Arrays.copyOfRange(data, i * size, (i + 1) * size));
      double scale = 1;
      for (double v : ref) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int j = 0; j < labels; j++) {
        assertEquals(ref[j], logits[i * labels + j], tolerance * scale,
            what + ": image " + i + " logit " + j);
      }
    }
  }
}
