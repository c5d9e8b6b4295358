package io.github.emotion4j.image;

import io.github.emotion4j.FaceBox;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.model.InputContract;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.util.Objects;

/**
 * Turns a decoded image into a network's input, the same way for every backend: crop (the centre at
 * the model's aspect ratio, or a given face box), convert to the model's channels (Rec. 601 luma for
 * grayscale models), resize with the contract's filter, scale to [0, 1] and normalise with the
 * contract's mean and std, laid out channel-major (CHW). Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ImagePreprocessor {
  private final InputContract contract;

  /**
   * Creates a preprocessor for a network's input contract.
   *
   * @param contract what the network expects
   */
  public ImagePreprocessor(InputContract contract) {
    this.contract = Objects.requireNonNull(contract, "contract");
  }

  /**
   * Returns the contract this preprocessor follows.
   *
   * @return the input contract
   */
  public InputContract contract() {
    return contract;
  }

  /**
   * Preprocesses a whole image, centre-cropped to the model's aspect ratio.
   *
   * @param image the upright image
   * @return {@code channels × height × width} values
   */
  public float[] preprocess(BufferedImage image) {
    float[] out = new float[contract.imageSize()];
    preprocess(image, null, out, 0);
    return out;
  }

  /**
   * Preprocesses one region of an image into a batch array.
   *
   * @param image the upright image
   * @param box the region to use, clamped to the image; {@code null} for a centre crop at the
   *     model's aspect ratio
   * @param out the batch array
   * @param offset where this image's values start in {@code out}
   * @throws InvalidImageException if the box lies outside the image
   */
  public void preprocess(BufferedImage image, FaceBox box, float[] out, int offset) {
    FaceBox crop = box == null ? centreCrop(image.getWidth(), image.getHeight()) : clamp(box, image);
    int channels = contract.channels();
    float[][] planes = planes(image, crop, channels);
    int oh = contract.height();
    int ow = contract.width();
    boolean area = contract.resize().equals(InputContract.AREA);
    Resampler rows = Resampler.of(crop.height(), oh, area);
    Resampler cols = Resampler.of(crop.width(), ow, area);
    float[] tmp = new float[crop.height() * ow];
    for (int c = 0; c < channels; c++) {
      float[] plane = planes[c];
      for (int y = 0; y < crop.height(); y++) { // horizontal pass
        cols.apply(plane, y * crop.width(), 1, tmp, y * ow, 1);
      }
      int base = offset + c * oh * ow;
      for (int x = 0; x < ow; x++) { // vertical pass
        rows.apply(tmp, x, ow, out, base + x, ow);
      }
      float mean = contract.mean().get(c).floatValue();
      float invStd = (float) (1.0 / contract.std().get(c));
      for (int i = base; i < base + oh * ow; i++) {
        out[i] = (out[i] - mean) * invStd;
      }
    }
  }

  private FaceBox centreCrop(int w, int h) {
    double target = contract.width() / (double) contract.height();
    if (Math.abs(w / (double) h - target) < 1e-9) {
      return new FaceBox(0, 0, w, h);
    }
    if (w / (double) h > target) {
      int cw = Math.max(1, (int) Math.round(h * target));
      return new FaceBox((w - cw) / 2, 0, cw, h);
    }
    int ch = Math.max(1, (int) Math.round(w / target));
    return new FaceBox(0, (h - ch) / 2, w, ch);
  }

  private static FaceBox clamp(FaceBox box, BufferedImage image) {
    int x0 = Math.max(0, box.x());
    int y0 = Math.max(0, box.y());
    int x1 = Math.min(image.getWidth(), box.x() + box.width());
    int y1 = Math.min(image.getHeight(), box.y() + box.height());
    if (x1 <= x0 || y1 <= y0) {
      throw new InvalidImageException(
          "Face box " + box + " lies outside the " + image.getWidth() + "x" + image.getHeight() + " image");
    }
    return new FaceBox(x0, y0, x1 - x0, y1 - y0);
  }

  /** Whether the pixels are gray samples in a gray colour space (not a palette, not RGB). */
  private static boolean isStoredGray(BufferedImage image) {
    ColorModel cm = image.getColorModel();
    return image.getType() == BufferedImage.TYPE_BYTE_GRAY
        || cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  /** Reads the crop as [0, 1] planes: one luma plane, or R, G, B planes. */
  private static float[][] planes(BufferedImage image, FaceBox crop, int channels) {
    int w = crop.width();
    int h = crop.height();
    float[][] planes = new float[channels][w * h];
    if (isStoredGray(image)) {
      // The raster holds the stored luma (8 or 16 bits, maybe beside an alpha band); getRGB would
      // pass it through the linear-gray colour space's gamma conversion, shifting it by ~50 levels.
      Raster raster = image.getRaster();
      float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(crop.x(), crop.y() + y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          float v = row[x] / max;
          for (int c = 0; c < channels; c++) {
            planes[c][y * w + x] = v;
          }
        }
      }
      return planes;
    }
    int[] rgb = image.getRGB(crop.x(), crop.y(), w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      int r = (p >> 16) & 0xff;
      int g = (p >> 8) & 0xff;
      int b = p & 0xff;
      if (channels == 1) {
        planes[0][i] = (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
      } else {
        planes[0][i] = r / 255f;
        planes[1][i] = g / 255f;
        planes[2][i] = b / 255f;
      }
    }
    return planes;
  }

  /** A 1-D resampling from {@code in} to {@code out} samples, as precomputed taps. */
  private static final class Resampler {
    private final int[] start;
    private final float[][] weights;

    private Resampler(int[] start, float[][] weights) {
      this.start = start;
      this.weights = weights;
    }

    static Resampler of(int in, int out, boolean area) {
      int[] start = new int[out];
      float[][] weights = new float[out][];
      double scale = in / (double) out;
      for (int i = 0; i < out; i++) {
        if (area && in >= out) {
          double lo = i * scale;
          double hi = (i + 1) * scale;
          int first = (int) Math.floor(lo);
          int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
          float[] w = new float[last - first + 1];
          for (int j = first; j <= last; j++) {
            double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
            w[j - first] = (float) (overlap / scale);
          }
          start[i] = first;
          weights[i] = w;
        } else { // bilinear with half-pixel centres; also area's upsampling case
          double centre = (i + 0.5) * scale - 0.5;
          int j0 = (int) Math.floor(centre);
          double f = centre - j0;
          int a = Math.max(0, Math.min(in - 1, j0));
          int b = Math.max(0, Math.min(in - 1, j0 + 1));
          if (a == b) {
            start[i] = a;
            weights[i] = new float[] {1f};
          } else {
            start[i] = a;
            weights[i] = new float[] {(float) (1 - f), (float) f};
          }
        }
      }
      return new Resampler(start, weights);
    }

    void apply(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride) {
      for (int i = 0; i < start.length; i++) {
        float[] w = weights[i];
        int s = srcOffset + start[i] * srcStride;
        float acc = 0;
        for (int k = 0; k < w.length; k++) {
          acc += w[k] * src[s + k * srcStride];
        }
        dst[dstOffset + i * dstStride] = acc;
      }
    }
  }
}
