package io.github.emotion4j.backend.onnxruntime;

import static io.github.emotion4j.testing.Medians.median;
import static io.github.emotion4j.testing.Medians.sorted;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Speed of the onnxruntime backend on every preset: batch-64 images/s and batch-1 latency, median
 * of several timed rounds, through the backend (DJL) and, for comparison, ONNX Runtime's own Java
 * API on the same exported file with the same thread count. Not a test; run it as described in
 * {@code README-PERF.md}:
 *
 * <pre>
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" \
 *     io.github.emotion4j.backend.onnxruntime.OnnxRuntimeBenchmark [rounds] [seconds-per-round]
 * </pre>
 */
public final class OnnxRuntimeBenchmark {
  private OnnxRuntimeBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional: rounds (default 7) and seconds per round (default 2)
   * @throws Exception if ONNX Runtime fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
    System.out.printf(Locale.ROOT, "# java %s, %d processors, ONNX Runtime intra-op threads %d, "
        + "%d rounds of %.1f s, median [min-max]%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), OrtNetwork.threads(EngineOptions.DEFAULT), rounds, seconds);
    System.out.println("| preset | MFLOP/img | path | batch 64 img/s | GFLOP/s | batch 1 latency ms |");
    System.out.println("|---|---|---|---|---|---|");
    OrtNetwork.engine(); // DJL's engine must create ONNX Runtime's environment (djl#3679)
    for (NetworkPreset preset : NetworkPreset.values()) {
      ModelPackage model = TestData.randomPreset(preset, 42);
      float[] batch64 = inputs(model, 64);
      float[] one = Arrays.copyOf(batch64, model.input().imageSize());
      double mflop = model.summary().flops() / 1e6;

      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (RunnableNetwork net = new OnnxRuntimeBackend().load(model, Device.CPU);
          OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(OrtNetwork.threads(EngineOptions.DEFAULT));
        options.setInterOpNumThreads(1);
        try (OrtSession session = env.createSession(OnnxExporter.export(model), options)) {
          InputBatch b64 = new InputBatch(batch64, 64, model.input().shape());
          InputBatch b1 = new InputBatch(one, 1, model.input().shape());
          long[] s64 = {64, model.input().channels(), model.input().height(), model.input().width()};
          long[] s1 = {1, model.input().channels(), model.input().height(), model.input().width()};
          // rounds of the two paths alternate, so that load from other processes hits both alike
          double[][] throughput = rounds(rounds, seconds, 64,
              () -> net.logits(b64), () -> raw(env, session, batch64, s64));
          double[][] latency = rounds(rounds, seconds, 1,
              () -> net.logits(b1), () -> raw(env, session, one, s1));
          row(preset, mflop, "backend (DJL)", throughput[0], latency[0]);
          row(preset, mflop, "raw ORT Java", throughput[1], latency[1]);
          System.out.printf(Locale.ROOT, "| %s | | backend / raw | %.2f | | %.2f |%n", preset.id(),
              median(sorted(throughput[0])) / median(sorted(throughput[1])),
              median(sorted(latency[1])) / median(sorted(latency[0])));
        }
      }
    }
  }

  private static void raw(OrtEnvironment env, OrtSession session, float[] data, long[] shape) {
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
        OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT_NAME, x))) {
      FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
      if (out.remaining() == 0) {
        throw new IllegalStateException("no output");
      }
    } catch (ai.onnxruntime.OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void row(NetworkPreset preset, double mflop, String path, double[] imagesPerSecond,
      double[] latencyImagesPerSecond) {
    double[] ips = sorted(imagesPerSecond);
    double[] ms = Arrays.stream(latencyImagesPerSecond).map(v -> 1000.0 / v).sorted().toArray();
    System.out.printf(Locale.ROOT, "| %s | %.1f | %s | %.0f [%.0f-%.0f] | %.1f | %.2f [%.2f-%.2f] |%n",
        preset.id(), mflop, path, median(ips), ips[0], ips[ips.length - 1], median(ips) * mflop / 1e3,
        median(ms), ms[0], ms[ms.length - 1]);
  }

  /** Images per second of each path in each round, after one untimed warm-up round per path. */
  private static double[][] rounds(int rounds, double seconds, int imagesPerCall, Runnable... paths) {
    double[][] out = new double[paths.length][rounds];
    for (Runnable path : paths) {
      time(seconds * 0.5, imagesPerCall, path);
    }
    for (int r = 0; r < rounds; r++) {
      for (int p = 0; p < paths.length; p++) {
        out[p][r] = time(seconds, imagesPerCall, paths[p]);
      }
    }
    return out;
  }

  private static double time(double seconds, int imagesPerCall, Runnable call) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long calls = 0;
    long now;
    do {
      call.run();
      calls++;
      now = System.nanoTime();
    } while (now < end);
    return calls * imagesPerCall / ((now - start) / 1e9);
  }


  /** Real FER2013 test faces when the data sets are beside the project, else seeded noise. */
  private static float[] inputs(ModelPackage model, int n) {
    int size = model.input().imageSize();
    float[] data = new float[n * size];
    Path dir = Path.of(System.getProperty("emotion4j.datasets", "../../shared/datasets"))
        .resolve("fer2013").resolve("test").resolve("happy");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.sorted().limit(n).forEach(files::add);
      } catch (java.io.IOException e) {
        files.clear();
      }
    }
    if (files.size() == n) {
      ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
      ImagePreprocessor pre = new ImagePreprocessor(model.input());
      for (int i = 0; i < n; i++) {
        pre.preprocess(decoder.decode(files.get(i)), null, data, i * size);
      }
    } else {
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) random.nextDouble(-1, 1);
      }
    }
    return data;
  }
}
