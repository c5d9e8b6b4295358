package io.github.emotion4j.backend.nativejvm;

/**
 * One step on the whole batch's feature vectors, held as a matrix of {@code rows} rows with a fixed
 * row stride. Immutable once built; thread-safe.
 */
abstract class VecOp {
  /** Real input features. */
  final int inFeatures;
  /** Floats between rows of the input matrix. */
  final int inStride;
  /** Real output features. */
  final int outFeatures;
  /** Floats between rows of the output matrix. */
  final int outStride;

  VecOp(int inFeatures, int inStride, int outFeatures, int outStride) {
    this.inFeatures = inFeatures;
    this.inStride = inStride;
    this.outFeatures = outFeatures;
    this.outStride = outStride;
  }

  /** Whether the op writes its output over its input. */
  abstract boolean inPlace();

  /** The number of independent tiles for a batch of {@code rows} rows. */
  abstract int tiles(int rows);

  /** Floating-point operations per row. */
  abstract long flops();

  /** Computes tiles {@code [from, to)}. */
  abstract void run(float[] src, float[] dst, int rows, int from, int to);

  /** A dense layer with folded batch-norm, bias and activation; the kernels do the work. */
  static final class Dense extends VecOp {
    final Kernels kernels;
    final int block;
    final int blocks;
    final int rowTile;
    /** Weights as [block][inFeatures][block width]. */
    final float[] weights;
    /** Bias per output feature, padded with zeros to {@code outStride}. */
    final float[] bias;
    final Activation activation;

    Dense(Kernels kernels, int inFeatures, int inStride, int outFeatures, float[] weights,
        float[] bias, Activation activation) {
      super(inFeatures, inStride, outFeatures, roundUp(outFeatures, kernels.block()));
      this.kernels = kernels;
      this.block = kernels.block();
      this.blocks = outStride / block;
      this.rowTile = kernels.rowTile();
      this.weights = weights;
      this.bias = bias;
      this.activation = activation;
    }

    /** Row tiles for a batch. */
    int rowTiles(int rows) {
      return (rows + rowTile - 1) / rowTile;
    }

    @Override
    boolean inPlace() {
      return false;
    }

    @Override
    int tiles(int rows) {
      return rows < rowTile ? (blocks + 3) / 4 : blocks * rowTiles(rows);
    }

    @Override
    long flops() {
      return 2L * inFeatures * outFeatures;
    }

    @Override
    void run(float[] src, float[] dst, int rows, int from, int to) {
      kernels.dense(this, src, dst, rows, from, to);
    }

    @Override
    public String toString() {
      return "dense [" + inFeatures + "] -> [" + outFeatures + "] +" + activation;
    }
  }

  /** Per-feature {@code x * scale + shift} then an activation, in place. */
  static final class Affine extends VecOp {
    final float[] scale;
    final float[] shift;
    final Activation activation;

    Affine(int features, int stride, float[] scale, float[] shift, Activation activation) {
      super(features, stride, features, stride);
      this.scale = scale;
      this.shift = shift;
      this.activation = activation;
    }

    @Override
    boolean inPlace() {
      return true;
    }

    @Override
    int tiles(int rows) {
      return rows;
    }

    @Override
    long flops() {
      return 2L * inFeatures;
    }

    @Override
    void run(float[] src, float[] dst, int rows, int from, int to) {
      for (int r = from; r < to; r++) {
        int o = r * inStride;
        for (int i = 0; i < inFeatures; i++) {
          dst[o + i] = activation.apply(src[o + i] * scale[i] + shift[i]);
        }
      }
    }

    @Override
    public String toString() {
      return "affine [" + inFeatures + "] +" + activation;
    }
  }

  /** Rounds up to a multiple. */
  static int roundUp(int n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }
}
