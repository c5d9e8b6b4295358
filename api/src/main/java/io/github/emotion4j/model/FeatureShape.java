package io.github.emotion4j.model;

/**
 * The shape of one image's activations between two layers: a {@code channels × height × width}
 * feature map, or, once flattened, a vector of {@code channels} features ({@code height = width =
 * 1}, {@code flat = true}).
 *
 * @param channels feature maps, or features of a flat vector
 * @param height rows (1 when flat)
 * @param width columns (1 when flat)
 * @param flat whether this is a vector
 * @since 0.1
 */
public record FeatureShape(int channels, int height, int width, boolean flat) {
  /** Validates the dimensions. */
  public FeatureShape {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "feature shape " + channels + "x" + height + "x" + width + " has an empty dimension");
    }
    if (flat && (height != 1 || width != 1)) {
      throw new IllegalArgumentException("a flat shape has height = width = 1");
    }
  }

  /**
   * A feature map.
   *
   * @param channels channels
   * @param height rows
   * @param width columns
   * @return the shape
   */
  public static FeatureShape map(int channels, int height, int width) {
    return new FeatureShape(channels, height, width, false);
  }

  /**
   * A flat vector.
   *
   * @param features its length
   * @return the shape
   */
  public static FeatureShape vector(int features) {
    return new FeatureShape(features, 1, 1, true);
  }

  /**
   * Returns the number of values.
   *
   * @return channels × height × width
   */
  public long size() {
    return (long) channels * height * width;
  }

  @Override
  public String toString() {
    return flat ? "[" + channels + "]" : "[" + channels + "x" + height + "x" + width + "]";
  }
}
