package io.github.emotion4j.benchmarks;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import java.nio.file.Path;

/**
 * Start-up cost of one backend in a fresh JVM: building the classifier with the bundled model, then
 * the first classification. Run once per backend, each in its own JVM (see docs/PERFORMANCE.md).
 */
public class StartupTime {
  /**
   * Measures one backend.
   *
   * @param a the backend's name, then an image
   */
  public static void main(String[] a) {
  long t0 = System.nanoTime();
  try (EmotionClassifier c = EmotionClassifier.builder().backend(a[0]).device(Device.CPU).build()) {
    long t1 = System.nanoTime();
    c.classify(Path.of(a[1]));
    long t2 = System.nanoTime();
    System.out.printf("%s: build %.0f ms, first classify %.0f ms%n", a[0], (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }
  }
}
