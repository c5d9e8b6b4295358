package io.github.emotion4j.image;

/**
 * Bounds on what the decoder accepts, checked before an image is decoded.
 *
 * @param maxPixels the largest width × height accepted; guards against decompression bombs
 * @param maxBytes the largest encoded size accepted
 * @since 0.1
 */
public record ImageLimits(long maxPixels, long maxBytes) {
  /** 40 megapixels and 64 MiB: any camera photo, but no decompression bomb. */
  public static final ImageLimits DEFAULT = new ImageLimits(40_000_000L, 64L << 20);

  /** Validates the bounds. */
  public ImageLimits {
    if (maxPixels < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("image limits must be positive: " + maxPixels + ", " + maxBytes);
    }
  }
}
