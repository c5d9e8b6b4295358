package io.github.emotion4j.backend.nativejvm;

/**
 * Turns one image's feature map into its row of the batch's feature matrix: a flatten in PyTorch's
 * channel-major (CHW) order, or a global average pool. Immutable; thread-safe.
 */
final class ToVector {
  /** Which reduction. */
  enum Kind {
    /** Flatten, channel-major. */
    FLATTEN,
    /** Global average pool. */
    AVERAGE
  }

  final Geom in;
  final boolean average;
  final int features;

  ToVector(Geom in, boolean average) {
    this.in = in;
    this.average = average;
    long n = average ? in.channels() : (long) in.channels() * in.height() * in.width();
    if (n > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("flatten of " + in + " is too large");
    }
    this.features = (int) n;
  }

  /** Writes the features of the map in {@code src} to {@code dst[offset, offset + features)}. */
  void run(float[] src, float[] dst, int offset) {
    int c = in.channels();
    int h = in.height();
    int w = in.width();
    if (average) {
      float scale = 1f / (h * w);
      for (int ch = 0; ch < c; ch++) {
        float sum = 0;
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            sum += src[in.index(y, x) + ch];
          }
        }
        dst[offset + ch] = sum * scale;
      }
      return;
    }
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = in.index(y, x);
        int o = offset + y * w + x;
        for (int ch = 0; ch < c; ch++) {
          dst[o + ch * plane] = src[i + ch];
        }
      }
    }
  }

  @Override
  public String toString() {
    return (average ? "global_avgpool " : "flatten ") + in + " -> [" + features + "]";
  }
}
