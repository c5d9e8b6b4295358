package io.github.emotion4j.spi;

import io.github.emotion4j.model.FeatureShape;
import java.util.Objects;

/**
 * A batch of preprocessed images in NCHW float32 layout, as the api hands it to a backend.
 *
 * <p>The array is shared, not copied, so that large batches cost no copy: backends must not modify
 * it, and it must not be modified while a backend reads it.
 *
 * @since 0.1
 */
public final class InputBatch {
  private final float[] data;
  private final int size;
  private final FeatureShape imageShape;

  /**
   * Wraps preprocessed values.
   *
   * @param data {@code size × channels × height × width} values, image-major then channel-major
   * @param size the number of images
   * @param imageShape one image's shape
   * @throws IllegalArgumentException if the array does not hold exactly that many values
   */
  public InputBatch(float[] data, int size, FeatureShape imageShape) {
    this.data = Objects.requireNonNull(data, "data");
    this.imageShape = Objects.requireNonNull(imageShape, "imageShape");
    if (size < 1 || (long) size * imageShape.size() != data.length) {
      throw new IllegalArgumentException(
          "batch of " + size + " images of " + imageShape + " needs " + size * imageShape.size()
              + " values, got " + data.length);
    }
    this.size = size;
  }

  /**
   * Returns the values (shared, not a copy; do not modify).
   *
   * @return the NCHW values
   */
  public float[] data() {
    return data;
  }

  /**
   * Returns the values re-laid as NHWC (channels last), for engines and models that need it.
   *
   * @return a new array, {@code size × height × width × channels}
   */
  public float[] toNhwc() {
    int c = imageShape.channels();
    int hw = imageShape.height() * imageShape.width();
    float[] out = new float[data.length];
    for (int n = 0; n < size; n++) {
      int base = n * c * hw;
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < hw; i++) {
          out[base + i * c + ch] = data[base + ch * hw + i];
        }
      }
    }
    return out;
  }

  /**
   * Returns the number of images.
   *
   * @return the batch size
   */
  public int size() {
    return size;
  }

  /**
   * Returns one image's shape.
   *
   * @return channels × height × width
   */
  public FeatureShape imageShape() {
    return imageShape;
  }
}
