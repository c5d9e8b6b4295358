package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.Device;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.testing.TestData;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where one image's time goes (not a test; see README-PERF.md): runs each map op of a preset's plan
 * on one thread, repeatedly, and prints its median (and best) time and GFLOP/s (direct-convolution count).
 *
 * <p>Arguments: {@code [preset=vgg-bn] [kernels=vector] [repeats=400]}.
 */
public final class LayerTiming {
  private LayerTiming() {}

  /**
   * Runs the timing.
   *
   * @param args preset, kernel choice, repeats per op
   */
  public static void main(String[] args) {
    NetworkPreset preset = NetworkPreset.parse(args.length > 0 ? args[0] : "vgg-bn");
    NativeBackend.KernelChoice choice = NativeBackend.KernelChoice.valueOf(
        (args.length > 1 ? args[1] : "vector").toUpperCase(Locale.ROOT));
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    ModelPackage model = TestData.randomPreset(preset, 42);
    try (NativeNetwork net = (NativeNetwork) new NativeBackend(choice).load(model, Device.CPU)) {
      net.logits(new InputBatch(Nets.images(model, 1, 1), 1, model.input().shape())); // warm buffers
      Plan plan = net.plan();
      float[][] values = new float[plan.values.length][];
      for (int v = 0; v < values.length; v++) {
        values[v] = new float[plan.values[v].size()];
      }
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < values[0].length; i++) {
        values[0][i] = r.nextFloat();
      }
      double total = 0;
      for (int k = 0; k < plan.maps.length; k++) {
        MapOp op = plan.maps[k];
        double[] t = new double[repeats];
        for (int rep = -repeats; rep < repeats; rep++) { // first half warms up
          long s = System.nanoTime();
          op.run(values[k], values[k + 1], 0, op.tiles());
          if (rep >= 0) {
            t[rep] = (System.nanoTime() - s) / 1e6;
          }
        }
        Arrays.sort(t);
        double ms = t[repeats / 2];
        total += ms;
        int odd = 0;
        for (float f : values[k + 1]) {
          if (Float.isNaN(f) || Float.isInfinite(f) || (f != 0 && Math.abs(f) < Float.MIN_NORMAL)) {
            odd++;
          }
        }
        System.out.printf(Locale.ROOT, "%8.3f ms (best %.3f) %6.1f GFLOP/s  %s%s%n", ms, t[0],
            op.flops() / ms / 1e6, op,
            odd == 0 ? "" : " (" + odd + " NaN, infinite or subnormal outputs)");
      }
      System.out.printf(Locale.ROOT, "%8.3f ms in map ops, one image, one thread (%s)%n", total,
          plan.kernels.name());
    }
  }
}
