package io.github.emotion4j.face.yunet;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * Detection time per photo: median of N runs after warm-up, for 640x480 and 1920x1080 photos with
 * four faces, at the default scale and at full resolution. Run with
 * {@code mvn -q -pl faces-yunet exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.emotion4j.face.yunet.DetectionTiming -Dexec.args=30}.
 */
public final class DetectionTiming {
  private DetectionTiming() {}

  /**
   * Prints one line per photo size and setting.
   *
   * @param args the number of timed runs (default 20)
   */
  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    var crops = Photos.crops();
    List<int[]> sizes = List.of(new int[] {640, 480, 60, 140}, new int[] {1920, 1080, 100, 300});
    System.out.printf("cores %d, java %s, %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), System.getProperty("os.arch"));
    for (int maxSide : new int[] {640, 1920}) {
      var settings = new YuNetFaceDetector.Settings(0.7, 0.3, maxSide, 0);
      try (YuNetFaceDetector d = new YuNetFaceDetector(settings)) {
        for (int[] s : sizes) {
          BufferedImage photo = Photos.compose(s[0], s[1], crops.subList(10, 14), s[2], s[3], 1).photo();
          int faces = 0;
          for (int i = 0; i < 3; i++) {
            faces = d.detect(photo).size();
          }
          long[] ns = new long[runs];
          for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            d.detect(photo);
            ns[i] = System.nanoTime() - t0;
          }
          Arrays.sort(ns);
          System.out.printf("%dx%d maxSide %d: median %.1f ms (min %.1f, max %.1f) over %d runs, %d faces%n",
              s[0], s[1], maxSide, ns[runs / 2] / 1e6, ns[0] / 1e6, ns[runs - 1] / 1e6, runs, faces);
        }
      }
    }
  }
}
