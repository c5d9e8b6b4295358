package io.github.emotion4j.backend.nativejvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the Java Vector API ({@code jdk.incubator.vector}), at the machine's preferred vector
 * width. A block is two vectors of output channels; a convolution tile is {@value #TILE} output
 * pixels × one block, held in twelve vector registers while the taps and input channels stream
 * past, so each pair of weight loads feeds {@value #TILE} pairs of multiply-adds. Dense layers tile
 * batch rows the same way. Every loop that carries vectors is a single flat loop and no vector is
 * passed to a method that may not be inlined: JDK 17's C2 otherwise boxes the vectors (measured:
 * 2 instead of 50+ GFLOP/s). Loaded by name only when the module is present. Generated
 * (unrolled by hand) code; stateless and thread-safe.
 */
final class VectorKernels extends Kernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int BLOCK = 2 * L;
  /** Pixels (or rows) per tile: 12 accumulators fit the 16 registers of AVX2. */
  static final int TILE = 6;

  private final boolean winograd;

  /** Creates the kernels with Winograd convolutions where they apply. */
  VectorKernels() {
    this(true);
  }

  /**
   * Creates the kernels; fails on a JVM whose preferred float vector is narrower than 4 lanes.
   *
   * @param winograd whether 3×3 stride-1 convolutions run as {@link MapOp.Winograd}
   */
  VectorKernels(boolean winograd) {
    if (L < 4) {
      throw new IllegalStateException("preferred float vector has only " + L + " lanes");
    }
    this.winograd = winograd;
  }

  @Override
  boolean winograd() {
    return winograd;
  }

  @Override
  void winograd(MapOp.Winograd op, float[] in, float[] out, int from, int to) {
    VectorWinograd.run(op, in, out, from, to);
  }

  @Override
  String name() {
    return "vector API (" + L + " float lanes" + (winograd ? ", Winograd 3x3" : "") + ")";
  }

  @Override
  int block() {
    return BLOCK;
  }

  @Override
  int pixelTile() {
    return TILE;
  }

  @Override
  int rowTile() {
    return TILE;
  }

  @Override
  void conv(MapOp.Conv op, float[] in, float[] out, int from, int to) {
    for (int t = from; t < to; t++) {
      int blk = t / op.pixelTiles;
      int p0 = (t - blk * op.pixelTiles) * TILE;
      if (p0 + TILE <= op.pixels) {
        convTile(op, in, out, blk, p0);
      } else if (op.pixels >= TILE) {
        convTile(op, in, out, blk, op.pixels - TILE); // overlaps the previous tile: same values
      } else {
        for (int p = p0; p < op.pixels; p++) {
          convPixel(op, in, out, blk, p);
        }
      }
    }
  }

  private static void convTile(MapOp.Conv op, float[] in, float[] out, int blk, int p0) {
    final int[] taps = op.taps;
    final int n = taps.length;
    final float[] w = op.weights;
    final int width = op.out.width();
    int oy = p0 / width; // one division per tile; the tile's pixels follow in row order
    int ox = p0 - oy * width;
    final int b0 = op.inBase(oy, ox);
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    final int b1 = op.inBase(oy, ox);
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    final int b2 = op.inBase(oy, ox);
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    final int b3 = op.inBase(oy, ox);
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    final int b4 = op.inBase(oy, ox);
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    final int b5 = op.inBase(oy, ox);
    FloatVector z = FloatVector.zero(S);
    FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z, a50 = z, a51 = z;
    // One flat loop over (ky, kx, ic): C2 keeps vectors in registers only in the innermost loop.
    int wo = blk * n * BLOCK;
    for (int q = 0; q < n; q++, wo += BLOCK) {
      final int d = taps[q];
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      FloatVector x;
      x = FloatVector.broadcast(S, in[b0 + d]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, in[b1 + d]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, in[b2 + d]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, in[b3 + d]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
      x = FloatVector.broadcast(S, in[b4 + d]);
      a40 = x.fma(w0, a40);
      a41 = x.fma(w1, a41);
      x = FloatVector.broadcast(S, in[b5 + d]);
      a50 = x.fma(w0, a50);
      a51 = x.fma(w1, a51);
    }
    int cb = blk * BLOCK;
    FloatVector bias0 = FloatVector.fromArray(S, op.bias, cb);
    FloatVector bias1 = FloatVector.fromArray(S, op.bias, cb + L);
    int o;
    final boolean relu = op.activation.kind() == Activation.RELU; // ReLU in registers
    oy = p0 / width;
    ox = p0 - oy * width;
    o = op.out.index(oy, ox) + cb;
    if (relu) {
      a00.add(bias0).max(0f).intoArray(out, o);
      a01.add(bias1).max(0f).intoArray(out, o + L);
    } else {
      a00.add(bias0).intoArray(out, o);
      a01.add(bias1).intoArray(out, o + L);
      activate(op.activation, out, o);
    }
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    o = op.out.index(oy, ox) + cb;
    if (relu) {
      a10.add(bias0).max(0f).intoArray(out, o);
      a11.add(bias1).max(0f).intoArray(out, o + L);
    } else {
      a10.add(bias0).intoArray(out, o);
      a11.add(bias1).intoArray(out, o + L);
      activate(op.activation, out, o);
    }
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    o = op.out.index(oy, ox) + cb;
    if (relu) {
      a20.add(bias0).max(0f).intoArray(out, o);
      a21.add(bias1).max(0f).intoArray(out, o + L);
    } else {
      a20.add(bias0).intoArray(out, o);
      a21.add(bias1).intoArray(out, o + L);
      activate(op.activation, out, o);
    }
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    o = op.out.index(oy, ox) + cb;
    if (relu) {
      a30.add(bias0).max(0f).intoArray(out, o);
      a31.add(bias1).max(0f).intoArray(out, o + L);
    } else {
      a30.add(bias0).intoArray(out, o);
      a31.add(bias1).intoArray(out, o + L);
      activate(op.activation, out, o);
    }
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    o = op.out.index(oy, ox) + cb;
    if (relu) {
      a40.add(bias0).max(0f).intoArray(out, o);
      a41.add(bias1).max(0f).intoArray(out, o + L);
    } else {
      a40.add(bias0).intoArray(out, o);
      a41.add(bias1).intoArray(out, o + L);
      activate(op.activation, out, o);
    }
    if (++ox == width) {
      ox = 0;
      oy++;
    }
    o = op.out.index(oy, ox) + cb;
    if (relu) {
      a50.add(bias0).max(0f).intoArray(out, o);
      a51.add(bias1).max(0f).intoArray(out, o + L);
    } else {
      a50.add(bias0).intoArray(out, o);
      a51.add(bias1).intoArray(out, o + L);
      activate(op.activation, out, o);
    }
  }

  private static void convPixel(MapOp.Conv op, float[] in, float[] out, int blk, int p) {
    final int[] taps = op.taps;
    final int n = taps.length;
    final float[] w = op.weights;
    final int b = op.inBase(p);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int wo = blk * n * BLOCK;
    for (int q = 0; q < n; q++, wo += BLOCK) {
      FloatVector x = FloatVector.broadcast(S, in[b + taps[q]]);
      a0 = x.fma(FloatVector.fromArray(S, w, wo), a0);
      a1 = x.fma(FloatVector.fromArray(S, w, wo + L), a1);
    }
    int cb = blk * BLOCK;
    int o = op.outBase(p) + cb;
    a0.add(FloatVector.fromArray(S, op.bias, cb)).intoArray(out, o);
    a1.add(FloatVector.fromArray(S, op.bias, cb + L)).intoArray(out, o + L);
    activate(op.activation, out, o);
  }

  @Override
  void dense(VecOp.Dense op, float[] x, float[] y, int rows, int from, int to) {
    if (rows < TILE) {
      for (int t = from; t < to; t++) {
        int blk = 4 * t;
        int end = Math.min(op.blocks, blk + 4);
        for (int r = 0; r < rows; r++) {
          if (end - blk == 4) {
            denseRow4(op, x, y, r, blk);
          } else {
            for (int bl = blk; bl < end; bl++) {
              denseRow1(op, x, y, r, bl);
            }
          }
        }
      }
      return;
    }
    int rowTiles = op.rowTiles(rows);
    for (int t = from; t < to; t++) {
      int blk = t / rowTiles;
      int r0 = (t - blk * rowTiles) * TILE;
      denseTile(op, x, y, blk, Math.min(r0, rows - TILE)); // the last tile may overlap: same values
    }
  }

  private static void denseTile(VecOp.Dense op, float[] xs, float[] y, int blk, int r0) {
    final int n = op.inFeatures;
    final float[] w = op.weights;
    final int x0 = (r0 + 0) * op.inStride;
    final int x1 = (r0 + 1) * op.inStride;
    final int x2 = (r0 + 2) * op.inStride;
    final int x3 = (r0 + 3) * op.inStride;
    final int x4 = (r0 + 4) * op.inStride;
    final int x5 = (r0 + 5) * op.inStride;
    FloatVector z = FloatVector.zero(S);
    FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z, a50 = z, a51 = z;
    int wo = blk * n * BLOCK;
    for (int k = 0; k < n; k++, wo += BLOCK) {
      FloatVector w0 = FloatVector.fromArray(S, w, wo);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + L);
      FloatVector x;
      x = FloatVector.broadcast(S, xs[x0 + k]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, xs[x1 + k]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, xs[x2 + k]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, xs[x3 + k]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
      x = FloatVector.broadcast(S, xs[x4 + k]);
      a40 = x.fma(w0, a40);
      a41 = x.fma(w1, a41);
      x = FloatVector.broadcast(S, xs[x5 + k]);
      a50 = x.fma(w0, a50);
      a51 = x.fma(w1, a51);
    }
    int cb = blk * BLOCK;
    FloatVector bias0 = FloatVector.fromArray(S, op.bias, cb);
    FloatVector bias1 = FloatVector.fromArray(S, op.bias, cb + L);
    int o;
    o = (r0 + 0) * op.outStride + cb;
    a00.add(bias0).intoArray(y, o);
    a01.add(bias1).intoArray(y, o + L);
    activate(op.activation, y, o);
    o = (r0 + 1) * op.outStride + cb;
    a10.add(bias0).intoArray(y, o);
    a11.add(bias1).intoArray(y, o + L);
    activate(op.activation, y, o);
    o = (r0 + 2) * op.outStride + cb;
    a20.add(bias0).intoArray(y, o);
    a21.add(bias1).intoArray(y, o + L);
    activate(op.activation, y, o);
    o = (r0 + 3) * op.outStride + cb;
    a30.add(bias0).intoArray(y, o);
    a31.add(bias1).intoArray(y, o + L);
    activate(op.activation, y, o);
    o = (r0 + 4) * op.outStride + cb;
    a40.add(bias0).intoArray(y, o);
    a41.add(bias1).intoArray(y, o + L);
    activate(op.activation, y, o);
    o = (r0 + 5) * op.outStride + cb;
    a50.add(bias0).intoArray(y, o);
    a51.add(bias1).intoArray(y, o + L);
    activate(op.activation, y, o);
  }

  /** One row, four blocks: eight independent sums, so the multiply-add latency is hidden. */
  private static void denseRow4(VecOp.Dense op, float[] xs, float[] y, int row, int blk) {
    final int n = op.inFeatures;
    final float[] w = op.weights;
    final int xi = row * op.inStride;
    final int panel = n * BLOCK;
    FloatVector z = FloatVector.zero(S);
    FloatVector a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z;
    int wo = blk * panel;
    for (int k = 0; k < n; k++, wo += BLOCK) {
      FloatVector x = FloatVector.broadcast(S, xs[xi + k]);
      a00 = x.fma(FloatVector.fromArray(S, w, wo), a00);
      a01 = x.fma(FloatVector.fromArray(S, w, wo + L), a01);
      a10 = x.fma(FloatVector.fromArray(S, w, wo + panel), a10);
      a11 = x.fma(FloatVector.fromArray(S, w, wo + panel + L), a11);
      a20 = x.fma(FloatVector.fromArray(S, w, wo + 2 * panel), a20);
      a21 = x.fma(FloatVector.fromArray(S, w, wo + 2 * panel + L), a21);
      a30 = x.fma(FloatVector.fromArray(S, w, wo + 3 * panel), a30);
      a31 = x.fma(FloatVector.fromArray(S, w, wo + 3 * panel + L), a31);
    }
    int o = row * op.outStride + blk * BLOCK;
    int cb = blk * BLOCK;
    float[] bias = op.bias;
    a00.add(FloatVector.fromArray(S, bias, cb)).intoArray(y, o);
    a01.add(FloatVector.fromArray(S, bias, cb + L)).intoArray(y, o + L);
    a10.add(FloatVector.fromArray(S, bias, cb + BLOCK)).intoArray(y, o + BLOCK);
    a11.add(FloatVector.fromArray(S, bias, cb + BLOCK + L)).intoArray(y, o + BLOCK + L);
    a20.add(FloatVector.fromArray(S, bias, cb + 2 * BLOCK)).intoArray(y, o + 2 * BLOCK);
    a21.add(FloatVector.fromArray(S, bias, cb + 2 * BLOCK + L)).intoArray(y, o + 2 * BLOCK + L);
    a30.add(FloatVector.fromArray(S, bias, cb + 3 * BLOCK)).intoArray(y, o + 3 * BLOCK);
    a31.add(FloatVector.fromArray(S, bias, cb + 3 * BLOCK + L)).intoArray(y, o + 3 * BLOCK + L);
    for (int b = 0; b < 4; b++) {
      activate(op.activation, y, o + b * BLOCK);
    }
  }

  private static void denseRow1(VecOp.Dense op, float[] xs, float[] y, int row, int blk) {
    final int n = op.inFeatures;
    final float[] w = op.weights;
    final int xi = row * op.inStride;
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    int wo = blk * n * BLOCK;
    for (int k = 0; k < n; k++, wo += BLOCK) {
      FloatVector x = FloatVector.broadcast(S, xs[xi + k]);
      a0 = x.fma(FloatVector.fromArray(S, w, wo), a0);
      a1 = x.fma(FloatVector.fromArray(S, w, wo + L), a1);
    }
    int cb = blk * BLOCK;
    int o = row * op.outStride + cb;
    a0.add(FloatVector.fromArray(S, op.bias, cb)).intoArray(y, o);
    a1.add(FloatVector.fromArray(S, op.bias, cb + L)).intoArray(y, o + L);
    activate(op.activation, y, o);
  }

  @Override
  void pool(MapOp.Pool op, float[] src, float[] dst, int from, int to) {
    final int c = op.in.stride();
    if (c % L != 0) {
      super.pool(op, src, dst, from, to);
      return;
    }
    final int[] taps = op.taps;
    final int n = taps.length;
    final float scale = 1f / n;
    for (int oy = from; oy < to; oy++) {
      for (int ox = 0; ox < op.out.width(); ox++) {
        if (!op.interior(oy, ox)) {
          op.pixel(src, dst, oy, ox);
          continue;
        }
        final int base = op.windowBase(oy, ox);
        final int o = op.out.index(oy, ox);
        for (int ch = 0; ch < c; ch += L) {
          final int b = base + ch;
          FloatVector acc = FloatVector.fromArray(S, src, b + taps[0]);
          if (op.max) {
            for (int q = 1; q < n; q++) {
              acc = acc.max(FloatVector.fromArray(S, src, b + taps[q]));
            }
            acc.intoArray(dst, o + ch);
          } else {
            for (int q = 1; q < n; q++) {
              acc = acc.add(FloatVector.fromArray(S, src, b + taps[q]));
            }
            acc.mul(scale).intoArray(dst, o + ch);
          }
        }
      }
    }
  }

  /** Applies the activation in place to the block at {@code offset}; vectors are not passed. */
  private static void activate(Activation act, float[] dst, int offset) {
    if (act.kind() == Activation.RELU) {
      FloatVector.fromArray(S, dst, offset).max(0f).intoArray(dst, offset);
      FloatVector.fromArray(S, dst, offset + L).max(0f).intoArray(dst, offset + L);
    } else if (act.kind() == Activation.LEAKY) {
      for (int i = offset; i < offset + BLOCK; i += L) {
        FloatVector v = FloatVector.fromArray(S, dst, i);
        v.mul(act.slope()).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(dst, i);
      }
    }
  }
}
