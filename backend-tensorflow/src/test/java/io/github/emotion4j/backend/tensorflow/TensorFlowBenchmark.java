package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.Device;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures the TensorFlow backend per preset: batch-64 throughput and batch-1 latency, medians of
 * timed repetitions after a warm-up. Run (see README-PERF.md):
 *
 * <pre>
 * mvn -o -q -pl backend-tensorflow exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.github.emotion4j.backend.tensorflow.TensorFlowBenchmark [-Dexec.args="vgg-bn"]
 * </pre>
 */
public final class TensorFlowBenchmark {
  private TensorFlowBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args preset ids to run (default: all)
   */
  public static void main(String[] args) {
    List<NetworkPreset> presets = new ArrayList<>();
    for (String a : args) {
      presets.add(NetworkPreset.parse(a));
    }
    if (presets.isEmpty()) {
      presets.addAll(Arrays.asList(NetworkPreset.values()));
    }
    long t0 = System.nanoTime();
    TensorFlowEngine.get();
    System.out.printf(Locale.ROOT, "engine start: %.0f ms (TensorFlow %s)%n",
        (System.nanoTime() - t0) / 1e6, TensorFlowEngine.get().getVersion());
    System.out.println("preset   | MFLOP/img | export+load ms | batch64 img/s | batch1 ms (median) | batch1 img/s | GFLOP/s b64");
    for (NetworkPreset preset : presets) {
      ModelPackage model = TestData.randomPreset(preset, 1);
      int size = model.input().imageSize();
      float[] data = new float[64 * size];
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) r.nextDouble(-1, 1);
      }
      long l0 = System.nanoTime();
      try (RunnableNetwork net = new TensorFlowBackend().load(model, Device.CPU)) {
        double loadMs = (System.nanoTime() - l0) / 1e6;
        InputBatch b64 = new InputBatch(data, 64, model.input().shape());
        InputBatch b1 = new InputBatch(Arrays.copyOf(data, size), 1, model.input().shape());
        for (int i = 0; i < 5; i++) {
          net.logits(b64);
          net.logits(b1);
        }
        double[] t64 = new double[15];
        for (int i = 0; i < t64.length; i++) {
          long s = System.nanoTime();
          net.logits(b64);
          t64[i] = (System.nanoTime() - s) / 1e6;
        }
        double[] t1 = new double[200];
        for (int i = 0; i < t1.length; i++) {
          long s = System.nanoTime();
          net.logits(b1);
          t1[i] = (System.nanoTime() - s) / 1e6;
        }
        double m64 = median(t64);
        double m1 = median(t1);
        double mflop = model.summary().flops() / 1e6;
        System.out.printf(Locale.ROOT, "%-8s | %9.1f | %14.0f | %13.1f | %18.2f | %12.1f | %.1f%n",
            preset.id(), mflop, loadMs, 64_000 / m64, m1, 1000 / m1, mflop * 64 / m64);
      }
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
