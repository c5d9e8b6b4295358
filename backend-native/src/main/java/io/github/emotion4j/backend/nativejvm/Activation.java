package io.github.emotion4j.backend.nativejvm;

/**
 * An activation applied after a convolution or dense layer, or on its own.
 *
 * @param kind {@link #NONE}, {@link #RELU} or {@link #LEAKY}
 * @param slope the negative slope of {@link #LEAKY}
 */
record Activation(int kind, float slope) {
  /** The identity. */
  static final int NONE = 0;
  /** max(x, 0). */
  static final int RELU = 1;
  /** x if x &gt; 0, else slope × x. */
  static final int LEAKY = 2;

  /** No activation. */
  static final Activation IDENTITY = new Activation(NONE, 0);

  /** Applies the activation to one value. */
  float apply(float v) {
    switch (kind) {
      case RELU:
        return v > 0 ? v : 0f;
      case LEAKY:
        return v > 0 ? v : v * slope;
      default:
        return v;
    }
  }

  @Override
  public String toString() {
    return kind == RELU ? "relu" : kind == LEAKY ? "leaky_relu(" + slope + ")" : "none";
  }
}
