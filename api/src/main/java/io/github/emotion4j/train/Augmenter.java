package io.github.emotion4j.train;

import io.github.emotion4j.model.InputContract;
import java.util.SplittableRandom;

/**
 * Applies an {@link Augmentation} to preprocessed (normalised CHW) images: rotation, scaling,
 * translation (crop with padding) and flip in one bilinear inverse mapping, then blur, brightness
 * and contrast, noise and erasing.
 * Stateless; the caller supplies the random source, so runs repeat with the same seed.
 *
 * @since 0.1
 */
public final class Augmenter {
  private final Augmentation augmentation;
  private final InputContract input;

  /**
   * Creates an augmenter.
   *
   * @param augmentation what to apply
   * @param input the images' contract (for sizes and the value of a black pixel)
   */
  public Augmenter(Augmentation augmentation, InputContract input) {
    this.augmentation = augmentation;
    this.input = input;
  }

  /**
   * Writes an augmented copy of one image.
   *
   * @param src the source array
   * @param srcOffset where the image starts in {@code src}
   * @param dst the destination array
   * @param dstOffset where to write in {@code dst}
   * @param random the random source
   */
  public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, SplittableRandom random) {
    Augmentation a = augmentation;
    int h = input.height();
    int w = input.width();
    double angle = a.rotationDegrees() > 0
        ? Math.toRadians(random.nextDouble(-a.rotationDegrees(), a.rotationDegrees())) : 0;
    int dx = a.cropPadding() > 0 ? random.nextInt(-a.cropPadding(), a.cropPadding() + 1) : 0;
    int dy = a.cropPadding() > 0 ? random.nextInt(-a.cropPadding(), a.cropPadding() + 1) : 0;
    boolean flip = a.horizontalFlip() && random.nextBoolean();
    double brightness = a.brightness() > 0 ? random.nextDouble(-a.brightness(), a.brightness()) : 0;
    double contrast = a.contrast() > 0 ? 1 + random.nextDouble(-a.contrast(), a.contrast()) : 1;
    // inverse mapping: a zoom by z samples the source at 1/z the distance from the centre
    double zoom = a.scale() > 0 ? 1 + random.nextDouble(-a.scale(), a.scale()) : 1;
    double sigma = a.blur() > 0 && random.nextBoolean() ? random.nextDouble(0, a.blur()) : 0;
    double noise = a.noise() > 0 && random.nextBoolean() ? random.nextDouble(0, a.noise()) : 0;
    double cos = Math.cos(angle) / zoom;
    double sin = Math.sin(angle) / zoom;
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    for (int c = 0; c < input.channels(); c++) {
      double std = input.std().get(c);
      float black = (float) ((0 - input.mean().get(c)) / std);
      int plane = c * h * w;
      double sum = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double ox = (flip ? w - 1 - x : x) - cx;
          double oy = y - cy;
          double sx = cos * ox + sin * oy + cx + dx;
          double sy = -sin * ox + cos * oy + cy + dy;
          float v = sample(src, srcOffset + plane, w, h, sx, sy, black);
          dst[dstOffset + plane + y * w + x] = v;
          sum += v;
        }
      }
      if (sigma > 0) {
        blur(dst, dstOffset + plane, sigma);
      }
      float mean = (float) (sum / (h * w));
      float shift = (float) (brightness / std);
      double noiseSd = noise / std;
      for (int i = dstOffset + plane; i < dstOffset + plane + h * w; i++) {
        double grain = noiseSd > 0 ? noiseSd * random.nextGaussian() : 0;
        dst[i] = (float) ((dst[i] - mean) * contrast + mean + grain) + shift;
      }
    }
    if (a.erasing() > 0 && random.nextDouble() < a.erasing()) {
      erase(dst, dstOffset, random);
    }
  }

  /** A separable Gaussian blur of one plane in place, edges clamped; it keeps the plane's mean. */
  private void blur(float[] data, int offset, double sigma) {
    int h = input.height();
    int w = input.width();
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] kernel = new double[2 * radius + 1];
    double total = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
      total += kernel[k + radius];
    }
    float[] rows = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int k = -radius; k <= radius; k++) {
          v += kernel[k + radius] * data[offset + y * w + Math.min(w - 1, Math.max(0, x + k))];
        }
        rows[y * w + x] = (float) (v / total);
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (int k = -radius; k <= radius; k++) {
          v += kernel[k + radius] * rows[Math.min(h - 1, Math.max(0, y + k)) * w + x];
        }
        data[offset + y * w + x] = (float) (v / total);
      }
    }
  }

  /** Blanks one random box to the dataset's mean grey (0 after normalisation). */
  private void erase(float[] dst, int offset, SplittableRandom random) {
    int h = input.height();
    int w = input.width();
    double area = random.nextDouble(0.02, 0.25) * h * w;
    double aspect = Math.exp(random.nextDouble(Math.log(0.3), Math.log(1 / 0.3)));
    int bh = Math.min(h, Math.max(1, (int) Math.round(Math.sqrt(area * aspect))));
    int bw = Math.min(w, Math.max(1, (int) Math.round(Math.sqrt(area / aspect))));
    int y0 = random.nextInt(h - bh + 1);
    int x0 = random.nextInt(w - bw + 1);
    for (int c = 0; c < input.channels(); c++) {
      for (int y = y0; y < y0 + bh; y++) {
        int row = offset + c * h * w + y * w;
        java.util.Arrays.fill(dst, row + x0, row + x0 + bw, 0f);
      }
    }
  }

  private static float sample(float[] src, int base, int w, int h, double x, double y, float fill) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double v00 = at(src, base, w, h, x0, y0, fill);
    double v10 = at(src, base, w, h, x0 + 1, y0, fill);
    double v01 = at(src, base, w, h, x0, y0 + 1, fill);
    double v11 = at(src, base, w, h, x0 + 1, y0 + 1, fill);
    return (float) ((v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy);
  }

  private static float at(float[] src, int base, int w, int h, int x, int y, float fill) {
    return x < 0 || y < 0 || x >= w || y >= h ? fill : src[base + y * w + x];
  }
}
