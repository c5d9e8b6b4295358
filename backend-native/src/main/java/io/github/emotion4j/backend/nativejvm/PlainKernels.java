package io.github.emotion4j.backend.nativejvm;

/**
 * Kernels in plain Java loops, for JVMs without the Vector API: each tile accumulates straight into
 * its share of the output, with an innermost loop over a block of output channels that the JIT can
 * vectorise. Stateless and thread-safe.
 */
final class PlainKernels extends Kernels {
  private static final int BLOCK = 32;

  @Override
  String name() {
    return "plain loops";
  }

  @Override
  int block() {
    return BLOCK;
  }

  @Override
  void conv(MapOp.Conv op, float[] in, float[] out, int from, int to) {
    int tile = op.pixelTile;
    for (int t = from; t < to; t++) {
      int blk = t / op.pixelTiles;
      int p0 = (t - blk * op.pixelTiles) * tile;
      convTile(op, in, out, blk, p0, Math.min(tile, op.pixels - p0));
    }
  }

  private static void convTile(MapOp.Conv op, float[] in, float[] out, int blk, int p0, int count) {
    final int b = BLOCK;
    final int[] taps = op.taps;
    final int n = taps.length;
    final float[] w = op.weights;
    final int cb = blk * b;
    for (int j = 0; j < count; j++) {
      int o = op.outBase(p0 + j) + cb;
      int i = op.inBase(p0 + j);
      for (int c = 0; c < b; c++) {
        out[o + c] = 0f;
      }
      int wo = blk * n * b;
      for (int q = 0; q < n; q++, wo += b) {
        float x = in[i + taps[q]];
        for (int c = 0; c < b; c++) {
          out[o + c] = Math.fma(x, w[wo + c], out[o + c]);
        }
      }
      Activation act = op.activation;
      for (int c = 0; c < b; c++) {
        out[o + c] = act.apply(out[o + c] + op.bias[cb + c]);
      }
    }
  }

  @Override
  void dense(VecOp.Dense op, float[] x, float[] y, int rows, int from, int to) {
    if (rows < op.rowTile) {
      for (int t = from; t < to; t++) {
        int end = Math.min(op.blocks, 4 * t + 4);
        for (int blk = 4 * t; blk < end; blk++) {
          for (int r = 0; r < rows; r++) {
            denseRow(op, x, y, r, blk);
          }
        }
      }
      return;
    }
    int rowTiles = op.rowTiles(rows);
    for (int t = from; t < to; t++) {
      int blk = t / rowTiles;
      int r0 = (t - blk * rowTiles) * op.rowTile;
      int end = Math.min(rows, r0 + op.rowTile);
      for (int r = r0; r < end; r++) {
        denseRow(op, x, y, r, blk);
      }
    }
  }

  private static void denseRow(VecOp.Dense op, float[] x, float[] y, int row, int blk) {
    final int b = BLOCK;
    final int n = op.inFeatures;
    final float[] w = op.weights;
    int o = row * op.outStride + blk * b;
    int xi = row * op.inStride;
    for (int c = 0; c < b; c++) {
      y[o + c] = 0f;
    }
    int wo = blk * n * b;
    for (int k = 0; k < n; k++, wo += b) {
      float v = x[xi + k];
      for (int c = 0; c < b; c++) {
        y[o + c] = Math.fma(v, w[wo + c], y[o + c]);
      }
    }
    Activation act = op.activation;
    for (int c = 0; c < b; c++) {
      y[o + c] = act.apply(y[o + c] + op.bias[blk * b + c]);
    }
  }
}
