package io.github.emotion4j.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a batch's labels into the soft targets a step trains towards: one-hot, smoothed, and for
 * mixup or CutMix blended with a partner image's, whose pixels are mixed into the batch in place.
 */
final class TargetMixer {
  private final int labels;
  private final int channels;
  private final int height;
  private final int width;
  private final double smoothing;
  private final double mixupAlpha;
  private final double cutmixAlpha;
  private float[] original = new float[0];

  TargetMixer(TrainingConfig config) {
    this.labels = config.labels().size();
    this.channels = config.input().channels();
    this.height = config.input().height();
    this.width = config.input().width();
    this.smoothing = config.labelSmoothing();
    this.mixupAlpha = config.mixupAlpha();
    this.cutmixAlpha = config.cutmixAlpha();
  }

  /**
   * Writes the targets of {@code n} images and mixes their pixels if configured.
   *
   * @param data the batch's images, mixed in place
   * @param labelOf the label index of each image
   * @param n images in the batch
   * @param targets receives {@code n × labels} target probabilities
   * @param random the run's random source
   */
  void apply(float[] data, int[] labelOf, int n, float[] targets, SplittableRandom random) {
    float off = (float) (smoothing / labels);
    float on = (float) (1 - smoothing) + off;
    Arrays.fill(targets, 0, n * labels, off);
    for (int i = 0; i < n; i++) {
      targets[i * labels + labelOf[i]] = on;
    }
    boolean mixup = mixupAlpha > 0;
    boolean cutmix = cutmixAlpha > 0;
    if (n < 2 || !(mixup || cutmix)) {
      return;
    }
    if (mixup && cutmix) {
      mixup = random.nextBoolean();
    }
    int size = channels * height * width;
    if (original.length < n * size) {
      original = new float[n * size];
    }
    System.arraycopy(data, 0, original, 0, n * size);
    float[] own = Arrays.copyOf(targets, n * labels);
    int[] partner = derangement(n, random);
    for (int i = 0; i < n; i++) {
      int p = partner[i];
      double keep;
      if (mixup) {
        keep = beta(mixupAlpha, random);
        for (int k = 0; k < size; k++) {
          data[i * size + k] = (float) (keep * original[i * size + k] + (1 - keep) * original[p * size + k]);
        }
      } else {
        keep = pasteBox(data, i, p, size, beta(cutmixAlpha, random), random);
      }
      for (int c = 0; c < labels; c++) {
        targets[i * labels + c] = (float) (keep * own[i * labels + c] + (1 - keep) * own[p * labels + c]);
      }
    }
  }

  /** Pastes a box of about {@code 1 - keep} of the area from image p; returns the share kept. */
  private double pasteBox(float[] data, int i, int p, int size, double keep, SplittableRandom random) {
    int bh = (int) Math.round(height * Math.sqrt(1 - keep));
    int bw = (int) Math.round(width * Math.sqrt(1 - keep));
    int cy = random.nextInt(height);
    int cx = random.nextInt(width);
    int y0 = Math.max(0, cy - bh / 2);
    int y1 = Math.min(height, cy + (bh + 1) / 2);
    int x0 = Math.max(0, cx - bw / 2);
    int x1 = Math.min(width, cx + (bw + 1) / 2);
    for (int c = 0; c < channels; c++) {
      for (int y = y0; y < y1; y++) {
        int row = c * height * width + y * width;
        System.arraycopy(original, p * size + row + x0, data, i * size + row + x0, Math.max(0, x1 - x0));
      }
    }
    // the box is clipped at the border, so the targets follow the area actually pasted
    return 1 - Math.max(0, y1 - y0) * Math.max(0, x1 - x0) / (double) (height * width);
  }

  /** A random permutation with no fixed point, so every image gets another as its partner. */
  private static int[] derangement(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    // Sattolo's shuffle gives a single cycle, which has no fixed point
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Samples Beta(α, α) as X / (X + Y) with X, Y ~ Gamma(α). */
  static double beta(double alpha, SplittableRandom random) {
    double x = gamma(alpha, random);
    double y = gamma(alpha, random);
    return x + y == 0 ? 0.5 : x / (x + y);
  }

  /** Marsaglia and Tsang's method; shapes below 1 are boosted by U^(1/α). */
  private static double gamma(double shape, SplittableRandom random) {
    if (shape < 1) {
      return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = random.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
