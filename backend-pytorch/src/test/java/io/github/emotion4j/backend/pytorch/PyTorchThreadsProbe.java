package io.github.emotion4j.backend.pytorch;

import static io.github.emotion4j.testing.Medians.median;
import static io.github.emotion4j.testing.Medians.sorted;

import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's intra-op thread count against speed, on the bundled network's architecture (VGG-BN,
 * seeded weights, 64 real FER2013 test faces): batch-1 latency and batch-64 images/s per count, the
 * counts alternating round by round so that other load hits each alike. Not a test; run it alone
 * and beside a busy process as {@code docs/TUNING.md} shows:
 *
 * <pre>
 * java -cp "$(cat target/cp.txt):target/classes:target/test-classes" \
 *     io.github.emotion4j.backend.pytorch.PyTorchThreadsProbe [rounds] [seconds] [counts, e.g. 1,2]
 * </pre>
 */
public final class PyTorchThreadsProbe {
  private PyTorchThreadsProbe() {}

  /**
   * Runs the probe.
   *
   * @param args rounds (default 5), seconds per case and round (default 2), thread counts (default 1,2)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    List<Integer> counts = Arrays.stream((args.length > 2 ? args[2] : "1,2").split(","))
        .map(Integer::parseInt).toList();
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 42);
    List<java.nio.file.Path> files = TestData.fer2013Sample("test", 10).subList(0, 64);
    float[] batch64 = TestData.preprocessed(model, files);
    float[] one = Arrays.copyOf(batch64, model.input().imageSize());
    double[][] latencyMs = new double[counts.size()][rounds];
    double[][] imagesPerSecond = new double[counts.size()][rounds];
    PyTorchBackend backend = new PyTorchBackend();
    try (RunnableNetwork net = backend.load(model, Device.CPU, EngineOptions.DEFAULT)) {
      InputBatch b1 = new InputBatch(one, 1, model.input().shape());
      InputBatch b64 = new InputBatch(batch64, 64, model.input().shape());
      for (int r = -1; r < rounds; r++) { // round -1 warms up
        for (int c = 0; c < counts.size(); c++) {
          PyTorchBackend.applyThreads(EngineOptions.DEFAULT.withThreads(counts.get(c), 0));
          double ms = median(time(net, b1, seconds));
          double ips = 64_000 / median(time(net, b64, seconds));
          if (r >= 0) {
            latencyMs[c][r] = ms;
            imagesPerSecond[c][r] = ips;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "# %d processors, %d rounds of %.1f s per case, median [min-max]%n",
        Runtime.getRuntime().availableProcessors(), rounds, seconds);
    System.out.println("| intra-op threads | batch 1 ms | batch 64 img/s |");
    System.out.println("|---:|---:|---:|");
    for (int c = 0; c < counts.size(); c++) {
      double[] ms = sorted(latencyMs[c]);
      double[] ips = sorted(imagesPerSecond[c]);
      System.out.printf(Locale.ROOT, "| %d | %.2f [%.2f-%.2f] | %.0f [%.0f-%.0f] |%n", counts.get(c),
          median(ms), ms[0], ms[ms.length - 1], median(ips), ips[0], ips[ips.length - 1]);
    }
  }

  /** Milliseconds per call, for each call within the time. */
  private static double[] time(RunnableNetwork net, InputBatch batch, double seconds) {
    double[] ms = new double[100_000];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (n < ms.length && (n < 3 || System.nanoTime() < end)) {
      long t = System.nanoTime();
      net.logits(batch);
      ms[n++] = (System.nanoTime() - t) / 1e6;
    }
    return sorted(Arrays.copyOf(ms, n));
  }
}
