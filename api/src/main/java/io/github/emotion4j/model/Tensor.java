package io.github.emotion4j.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named-free float32 tensor: a shape and its values in row-major order. Immutable: the arrays are
 * copied in and out.
 *
 * @since 0.1
 */
public final class Tensor {
  private final int[] shape;
  private final float[] data;

  /**
   * Creates a tensor, copying both arrays.
   *
   * @param shape the dimensions, each at least 1 (an empty shape is a scalar)
   * @param data the values, as many as the shape's product
   * @throws IllegalArgumentException if the values do not fill the shape
   */
  public Tensor(int[] shape, float[] data) {
    this.shape = shape.clone();
    this.data = Objects.requireNonNull(data, "data").clone();
    long n = elementCount(this.shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " values, got " + data.length);
    }
  }

  /**
   * Returns the number of values a shape holds.
   *
   * @param shape the dimensions
   * @return their product
   * @throws IllegalArgumentException if a dimension is below 1
   */
  public static long elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException("bad dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    return n;
  }

  /**
   * Returns a copy of the shape.
   *
   * @return the dimensions
   */
  public int[] shape() {
    return shape.clone();
  }

  /**
   * Returns a copy of the values.
   *
   * @return the values, row-major
   */
  public float[] data() {
    return data.clone();
  }

  /**
   * Returns the number of values.
   *
   * @return the number of values
   */
  public int size() {
    return data.length;
  }

  /**
   * Tells whether this tensor has the given shape.
   *
   * @param expected the shape
   * @return true if the dimensions are equal
   */
  public boolean hasShape(int[] expected) {
    return Arrays.equals(shape, expected);
  }

  /** Shares the values without copying, for readers in this package that only read them. */
  float[] unsafeData() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
