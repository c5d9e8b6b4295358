package io.github.emotion4j.image;

/**
 * Bounds on what the decoder accepts, checked before an image is decoded.
 *
 * @param maxPixels the largest width × height accepted; guards against decompression bombs
 * @param maxBytes the largest encoded size accepted
 * @param maxDecodedBytes the memory budget of one decoded image when the decoder may subsample
 *     (as the classifier does: it needs only the model's input size): a larger image is decoded
 *     with every second, third, … pixel each way until its raster fits. A full-resolution decode
 *     ({@link ImageDecoder#decode(byte[], String)}) is not bounded by it; there an image that does
 *     not fit the heap is an {@link io.github.emotion4j.ImageMemoryException}
 * @since 0.1
 */
public record ImageLimits(long maxPixels, long maxBytes, long maxDecodedBytes) {
  /** The default decoded-image budget: 32 MiB, an 11-megapixel RGB raster. */
  public static final long DEFAULT_DECODED_BYTES = 32L << 20;

  /** 40 megapixels, 64 MiB encoded, 32 MiB decoded: any camera photo, but no decompression bomb. */
  public static final ImageLimits DEFAULT = new ImageLimits(40_000_000L, 64L << 20, DEFAULT_DECODED_BYTES);

  /** Validates the bounds. */
  public ImageLimits {
    if (maxPixels < 1 || maxBytes < 1 || maxDecodedBytes < 1) {
      throw new IllegalArgumentException(
          "image limits must be positive: " + maxPixels + ", " + maxBytes + ", " + maxDecodedBytes);
    }
  }

  /**
   * Bounds with the default decoded-image budget ({@link #DEFAULT_DECODED_BYTES}).
   *
   * @param maxPixels the largest width × height accepted
   * @param maxBytes the largest encoded size accepted
   */
  public ImageLimits(long maxPixels, long maxBytes) {
    this(maxPixels, maxBytes, DEFAULT_DECODED_BYTES);
  }
}
