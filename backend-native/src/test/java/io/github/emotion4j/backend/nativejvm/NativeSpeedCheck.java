package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.Device;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.util.Arrays;
import java.util.Locale;

/**
 * A JUnit-free speed check of the native backend (not a test; see README-PERF.md for how to run it):
 * batch-64 throughput and batch-1 latency of a preset with random weights, for the Vector API
 * kernels (when the JVM enabled the module) and the plain loops. Prints medians over timed rounds
 * after a warm-up.
 *
 * <p>Arguments: {@code [preset=vgg-bn] [seconds per measurement=10] [kernels=vector,plain]}.
 */
public final class NativeSpeedCheck {
  private NativeSpeedCheck() {}

  /**
   * Runs the check.
   *
   * @param args preset, seconds per measurement, kernel list
   */
  public static void main(String[] args) throws InterruptedException {
    NetworkPreset preset = NetworkPreset.parse(args.length > 0 ? args[0] : "vgg-bn");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
    String[] kernels = (args.length > 2 ? args[2] : "vector,plain").split(",");
    ModelPackage model = TestData.randomPreset(preset, 42);
    long flops = model.summary().flops();
    System.out.printf(Locale.ROOT, "preset %s: %.1f MFLOP/image; %d cores; %s; vector API %s%n",
        preset.id(), flops / 1e6, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"), NativeBackend.vectorApiEnabled() ? "on" : "off");
    if (NativeBackend.vectorApiEnabled()) {
      peak("before");
    }
    for (String k : kernels) {
      NativeBackend.KernelChoice choice = NativeBackend.KernelChoice.valueOf(k.trim().toUpperCase(Locale.ROOT));
      if (choice == NativeBackend.KernelChoice.VECTOR && !NativeBackend.vectorApiEnabled()) {
        System.out.println("vector: skipped (run with --add-modules jdk.incubator.vector)");
        continue;
      }
      try (RunnableNetwork net = new NativeBackend(choice).load(model, Device.CPU)) {
        String name = ((NativeNetwork) net).plan().kernels.name();
        for (int batch : new int[] {64, 1}) {
          float[] data = Nets.images(model, batch, 1);
          InputBatch in = new InputBatch(data, batch, model.input().shape());
          double[] times = measure(net, in, seconds);
          double median = times[times.length / 2];
          double best = times[0];
          System.out.printf(Locale.ROOT,
              "%-27s batch %2d: median %8.3f ms/call, %7.1f img/s, %6.1f GFLOP/s"
                  + " (best %.3f ms, %d calls)%n",
              name, batch, median * 1e3, batch / median, flops * batch / median / 1e9, best * 1e3,
              times.length);
        }
      }
    }
    if (NativeBackend.vectorApiEnabled()) {
      peak("after");
    }
  }

  private static void peak(String when) throws InterruptedException {
    double one = FmaPeak.measure(1);
    double all = FmaPeak.measure(Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "FMA ceiling %s (Vector API loop): 1 thread %.1f GFLOP/s, %d threads"
        + " %.1f GFLOP/s%n", when, one, Runtime.getRuntime().availableProcessors(), all);
  }

  /** Warms up for a third of the time, then times calls for the rest; returns sorted seconds. */
  private static double[] measure(RunnableNetwork net, InputBatch in, double seconds) {
    long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    float sink = 0;
    while (System.nanoTime() < warmEnd) {
      sink += net.logits(in)[0];
    }
    double[] times = new double[1 << 16];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 2 / 3 * 1e9);
    while (n < times.length && (n < 5 || System.nanoTime() < end)) {
      long t0 = System.nanoTime();
      sink += net.logits(in)[0];
      times[n++] = (System.nanoTime() - t0) / 1e9;
    }
    if (Float.isNaN(sink)) {
      System.out.println("NaN logits");
    }
    double[] t = Arrays.copyOf(times, n);
    Arrays.sort(t);
    return t;
  }
}
