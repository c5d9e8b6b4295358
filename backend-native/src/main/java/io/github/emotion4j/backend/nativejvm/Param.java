package io.github.emotion4j.backend.nativejvm;

/**
 * One tensor of a network in training, under its package name and in PyTorch's layout; trainable
 * ones carry a gradient of the same layout, running statistics do not. Used from one thread at a
 * time.
 */
final class Param {
  final String name;
  final int[] shape;
  final float[] value;
  /** The gradient of the last backward pass, or null for a tensor that is not trained. */
  final float[] grad;

  Param(String name, int[] shape, boolean trainable) {
    this.name = name;
    this.shape = shape.clone();
    int size = 1;
    for (int d : shape) {
      size = Math.multiplyExact(size, d);
    }
    this.value = new float[size];
    this.grad = trainable ? new float[size] : null;
  }

  boolean trainable() {
    return grad != null;
  }
}
