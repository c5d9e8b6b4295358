package io.github.emotion4j.bench;

import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.InputContract;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Measures decode + preprocess throughput (images/s) the way the classifier does it: file to
 * {@link ImageDecoder} to {@link ImagePreprocessor} with the FER2013 contract (48x48x1, area).
 * Not a unit test; run it with the test class path (see docs/PERFORMANCE.md):
 *
 * <pre>
 * java -cp api/target/classes:api/target/test-classes:$(cat cp.txt) \
 *     io.github.emotion4j.bench.PreprocessingThroughput [folder] [big-image] [runs]
 * </pre>
 *
 * <p>Each run first makes one untimed pass over the folder (JIT warm-up, files in the page cache),
 * then times one pass with 1 thread and one with 2 threads; the big image is decoded and
 * preprocessed repeatedly on one thread. Prints every run and the median.
 */
public final class PreprocessingThroughput {
  private PreprocessingThroughput() {}

  /**
   * Runs the measurement.
   *
   * @param args folder of images (searched recursively), one large image, number of runs
   * @throws Exception if a file cannot be read
   */
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/fer2013/test");
    Path big = Path.of(args.length > 1 ? args[1]
        : "../shared/datasets/faces-other-source/images/Alessandra_Cerna_0001.jpg");
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<Path> files = list(folder);
    System.out.printf(Locale.ROOT, "%d images under %s; %s; %d processors; %s %s%n", files.size(), folder,
        System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("os.arch"));

    double[] one = new double[runs];
    double[] two = new double[runs];
    double[] bigMs = new double[runs];
    double[] bigPreMs = new double[runs];
    for (int r = 0; r < runs; r++) {
      pass(files, 2); // warm-up, untimed
      one[r] = pass(files, 1);
      two[r] = pass(files, 2);
      double[] b = bigImage(big, 300);
      bigMs[r] = b[0];
      bigPreMs[r] = b[1];
      System.out.printf(Locale.ROOT,
          "run %d: 1 thread %.0f img/s, 2 threads %.0f img/s; %s: %.3f ms/img (decode + preprocess), "
              + "%.3f ms/img (preprocess only)%n",
          r + 1, one[r], two[r], big.getFileName(), bigMs[r], bigPreMs[r]);
    }
    System.out.printf(Locale.ROOT,
        "median of %d: 1 thread %.0f img/s, 2 threads %.0f img/s; %s: %.3f ms/img = %.0f img/s "
            + "(preprocess only %.3f ms)%n",
        runs, median(one), median(two), big.getFileName(), median(bigMs), 1000 / median(bigMs),
        median(bigPreMs));
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> s = Files.walk(folder)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Decodes and preprocesses every file once on {@code threads} threads; returns images/s. */
  private static double pass(List<Path> files, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<Double>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
          ImagePreprocessor pre = new ImagePreprocessor(InputContract.FER2013);
          float[] out = new float[InputContract.FER2013.imageSize()];
          double sink = 0;
          for (int i = first; i < files.size(); i += threads) {
            pre.preprocess(decoder.decode(files.get(i)), null, out, 0);
            sink += out[out.length / 2];
          }
          return sink;
        }));
      }
      double sink = 0;
      for (Future<Double> f : parts) {
        sink += f.get();
      }
      long ns = System.nanoTime() - start;
      if (Double.isNaN(sink)) {
        throw new IllegalStateException("NaN in output");
      }
      return files.size() / (ns / 1e9);
    } finally {
      pool.shutdown();
    }
  }

  /** Returns {ms per decode + preprocess, ms per preprocess alone} for one large image. */
  private static double[] bigImage(Path file, int repeats) throws IOException {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor pre = new ImagePreprocessor(InputContract.FER2013);
    byte[] bytes = Files.readAllBytes(file);
    float[] out = new float[InputContract.FER2013.imageSize()];
    for (int i = 0; i < 50; i++) {
      pre.preprocess(decoder.decode(bytes, file.toString()), null, out, 0);
    }
    long start = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      pre.preprocess(decoder.decode(file), null, out, 0);
    }
    double total = (System.nanoTime() - start) / 1e6 / repeats;
    BufferedImage img = decoder.decode(file);
    start = System.nanoTime();
    for (int i = 0; i < repeats * 4; i++) {
      pre.preprocess(img, null, out, 0);
    }
    double preOnly = (System.nanoTime() - start) / 1e6 / (repeats * 4);
    return new double[] {total, preOnly};
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
