package io.github.emotion4j.backend.nativejvm;

/**
 * How one image's feature map lies in a float array: rows, then columns, then channels (HWC), with
 * a border of zeros around it that the next convolution reads as its padding, and the channel count
 * rounded up to the kernels' block width (the extra channels hold zeros).
 *
 * @param channels the real channels
 * @param stride the channels stored per pixel ({@code >= channels})
 * @param height rows without the border
 * @param width columns without the border
 * @param border zero rows and columns on each side
 */
record Geom(int channels, int stride, int height, int width, int border) {
  Geom {
    if (channels < 1 || stride < channels || height < 1 || width < 1 || border < 0) {
      throw new IllegalArgumentException("bad geometry " + channels + "/" + stride + "x" + height
          + "x" + width + " border " + border);
    }
  }

  /** Stored columns, border included. */
  int paddedWidth() {
    return width + 2 * border;
  }

  /** Stored rows, border included. */
  int paddedHeight() {
    return height + 2 * border;
  }

  /** The floats one image takes, border included. */
  int size() {
    long n = (long) paddedHeight() * paddedWidth() * stride;
    if (n > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("feature map " + this + " is too large");
    }
    return (int) n;
  }

  /** Index of channel 0 of the pixel at (y, x), coordinates without the border. */
  int index(int y, int x) {
    return ((y + border) * paddedWidth() + x + border) * stride;
  }
}
