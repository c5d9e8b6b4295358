package io.github.emotion4j.backend.nativejvm;

/**
 * The compute kernels behind convolutions and dense layers: {@link PlainKernels} (plain loops) or
 * {@code VectorKernels} (the Java Vector API, loaded only when its module is present). Both lay
 * weights out the same way for a given {@link #block()}, and both sum each output in the same order
 * (taps then input channels, fused multiply-add, bias last), so they agree to rounding.
 * Implementations are stateless and thread-safe.
 */
abstract class Kernels {
  /** A short description for logs, e.g. {@code "vector (8 lanes)"}. */
  abstract String name();

  /** Output channels (or dense outputs) computed together; channel counts are padded to it. */
  abstract int block();

  /** Output pixels of a convolution computed together. */
  int pixelTile() {
    return 6;
  }

  /** Batch rows of a dense layer computed together. */
  int rowTile() {
    return 6;
  }

  /** Whether {@link #winograd} runs 3×3 convolutions; plain loops do not. */
  boolean winograd() {
    return false;
  }

  /** Computes tile groups {@code [from, to)} of a Winograd convolution, when {@link #winograd()}. */
  void winograd(MapOp.Winograd op, float[] in, float[] out, int from, int to) {
    throw new UnsupportedOperationException(name() + " kernels have no Winograd convolution");
  }

  /** Computes tiles {@code [from, to)} of a convolution (see {@link MapOp.Conv#tiles()}). */
  abstract void conv(MapOp.Conv op, float[] in, float[] out, int from, int to);

  /**
   * Computes tiles {@code [from, to)} of a dense layer over {@code rows} rows: with fewer rows than
   * {@link #rowTile()}, tile {@code t} is output blocks {@code [4t, 4t + 4)} for every row; else tile
   * {@code t} is block {@code t / rowTiles} for row tile {@code t % rowTiles}.
   */
  abstract void dense(VecOp.Dense op, float[] x, float[] y, int rows, int from, int to);

  /** Computes output rows {@code [from, to)} of a pooling layer; plain loops unless overridden. */
  void pool(MapOp.Pool op, float[] src, float[] dst, int from, int to) {
    for (int oy = from; oy < to; oy++) {
      for (int ox = 0; ox < op.out.width(); ox++) {
        op.pixel(src, dst, oy, ox);
      }
    }
  }
}
