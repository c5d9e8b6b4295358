package io.github.emotion4j.backend.nativejvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TrainKernels} on the Java Vector API: a tile of {@value TrainKernels#ROWS} rows × two vectors of columns
 * is held in twelve registers while {@link TrainKernels#KC} steps of the reduction stream past, each pair
 * of B loads feeding twelve multiply-adds (the register tile of {@link VectorKernels}). Rows that
 * do not fill a tile run one at a time with the same chain of multiply-adds. Loaded by name only
 * when the module is present; stateless and thread-safe.
 */
final class VectorTrainKernels extends TrainKernels {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int BLOCK = 2 * L;

  /** Creates the kernels; fails where two vectors do not divide {@link TrainKernels#PAD}. */
  VectorTrainKernels() {
    if (L < 4 || PAD % BLOCK != 0) {
      throw new IllegalStateException("preferred float vector has " + L + " lanes");
    }
  }

  @Override
  String name() {
    return "vector API (" + L + " float lanes)";
  }

  @Override
  void gemm(int m0, int m1, int n, int k, float[] a, int aOff, int[] rows, int[] cols,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add) {
    for (int k0 = 0; k0 < k; k0 += KC) {
      int k1 = Math.min(k, k0 + KC);
      boolean acc = add || k0 > 0;
      int i = m0;
      for (; i + ROWS <= m1; i += ROWS) {
        for (int j = 0; j < n; j += BLOCK) {
          tile(i, j, k0, k1, a, aOff, rows, cols, b, bOff, ldb, c, cOff, ldc, acc);
        }
      }
      for (; i < m1; i++) {
        for (int j = 0; j < n; j += BLOCK) {
          row(i, j, k0, k1, a, aOff, rows, cols, b, bOff, ldb, c, cOff, ldc, acc);
        }
      }
    }
  }

  private static void tile(int i, int j, int k0, int k1, float[] a, int aOff, int[] rows, int[] cols,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
    final int c0 = cOff + i * ldc + j;
    final int c1 = c0 + ldc;
    final int c2 = c1 + ldc;
    final int c3 = c2 + ldc;
    final int c4 = c3 + ldc;
    final int c5 = c4 + ldc;
    FloatVector a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51;
    if (acc) {
      a00 = FloatVector.fromArray(S, c, c0);
      a01 = FloatVector.fromArray(S, c, c0 + L);
      a10 = FloatVector.fromArray(S, c, c1);
      a11 = FloatVector.fromArray(S, c, c1 + L);
      a20 = FloatVector.fromArray(S, c, c2);
      a21 = FloatVector.fromArray(S, c, c2 + L);
      a30 = FloatVector.fromArray(S, c, c3);
      a31 = FloatVector.fromArray(S, c, c3 + L);
      a40 = FloatVector.fromArray(S, c, c4);
      a41 = FloatVector.fromArray(S, c, c4 + L);
      a50 = FloatVector.fromArray(S, c, c5);
      a51 = FloatVector.fromArray(S, c, c5 + L);
    } else {
      FloatVector z = FloatVector.zero(S);
      a00 = z;
      a01 = z;
      a10 = z;
      a11 = z;
      a20 = z;
      a21 = z;
      a30 = z;
      a31 = z;
      a40 = z;
      a41 = z;
      a50 = z;
      a51 = z;
    }
    final int r0 = aOff + rows[i];
    final int r1 = aOff + rows[i + 1];
    final int r2 = aOff + rows[i + 2];
    final int r3 = aOff + rows[i + 3];
    final int r4 = aOff + rows[i + 4];
    final int r5 = aOff + rows[i + 5];
    int bo = bOff + k0 * ldb + j;
    for (int s = k0; s < k1; s++, bo += ldb) {
      final int q = cols[s];
      FloatVector w0 = FloatVector.fromArray(S, b, bo);
      FloatVector w1 = FloatVector.fromArray(S, b, bo + L);
      FloatVector x;
      x = FloatVector.broadcast(S, a[r0 + q]);
      a00 = x.fma(w0, a00);
      a01 = x.fma(w1, a01);
      x = FloatVector.broadcast(S, a[r1 + q]);
      a10 = x.fma(w0, a10);
      a11 = x.fma(w1, a11);
      x = FloatVector.broadcast(S, a[r2 + q]);
      a20 = x.fma(w0, a20);
      a21 = x.fma(w1, a21);
      x = FloatVector.broadcast(S, a[r3 + q]);
      a30 = x.fma(w0, a30);
      a31 = x.fma(w1, a31);
      x = FloatVector.broadcast(S, a[r4 + q]);
      a40 = x.fma(w0, a40);
      a41 = x.fma(w1, a41);
      x = FloatVector.broadcast(S, a[r5 + q]);
      a50 = x.fma(w0, a50);
      a51 = x.fma(w1, a51);
    }
    a00.intoArray(c, c0);
    a01.intoArray(c, c0 + L);
    a10.intoArray(c, c1);
    a11.intoArray(c, c1 + L);
    a20.intoArray(c, c2);
    a21.intoArray(c, c2 + L);
    a30.intoArray(c, c3);
    a31.intoArray(c, c3 + L);
    a40.intoArray(c, c4);
    a41.intoArray(c, c4 + L);
    a50.intoArray(c, c5);
    a51.intoArray(c, c5 + L);
  }

  private static void row(int i, int j, int k0, int k1, float[] a, int aOff, int[] rows, int[] cols,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean acc) {
    final int c0 = cOff + i * ldc + j;
    FloatVector s0 = acc ? FloatVector.fromArray(S, c, c0) : FloatVector.zero(S);
    FloatVector s1 = acc ? FloatVector.fromArray(S, c, c0 + L) : FloatVector.zero(S);
    final int r0 = aOff + rows[i];
    int bo = bOff + k0 * ldb + j;
    for (int s = k0; s < k1; s++, bo += ldb) {
      FloatVector x = FloatVector.broadcast(S, a[r0 + cols[s]]);
      s0 = x.fma(FloatVector.fromArray(S, b, bo), s0);
      s1 = x.fma(FloatVector.fromArray(S, b, bo + L), s1);
    }
    s0.intoArray(c, c0);
    s1.intoArray(c, c0 + L);
  }

  @Override
  void scaleShiftAct(float[] x, int xo, int xs, float[] y, int yo, int ys, int pixels, int width,
      float[] scale, float[] shift, float slope) {
    if (width % L != 0) {
      super.scaleShiftAct(x, xo, xs, y, yo, ys, pixels, width, scale, shift, slope);
      return;
    }
    for (int c = 0; c < width; c += L) {
      FloatVector sc = FloatVector.fromArray(S, scale, c);
      FloatVector sh = FloatVector.fromArray(S, shift, c);
      int xi = xo + c;
      int yi = yo + c;
      for (int p = 0; p < pixels; p++, xi += xs, yi += ys) {
        FloatVector z = FloatVector.fromArray(S, x, xi).fma(sc, sh);
        z.blend(z.mul(slope), z.compare(VectorOperators.LE, 0f)).intoArray(y, yi);
      }
    }
  }

  @Override
  void actBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int count, float slope) {
    int i = 0;
    for (; i + L <= count; i += L) {
      FloatVector g = FloatVector.fromArray(S, dy, dyo + i);
      FloatVector v = FloatVector.fromArray(S, x, xo + i);
      g.blend(g.mul(slope), v.compare(VectorOperators.LE, 0f)).intoArray(dx, dxo + i);
    }
    super.actBackward(x, xo + i, dy, dyo + i, dx, dxo + i, count - i, slope);
  }

  @Override
  void moments(float[] x, int xo, int xs, int pixels, int width, float[] mean, float[] sum, float[] sq) {
    if (width % L != 0) {
      super.moments(x, xo, xs, pixels, width, mean, sum, sq);
      return;
    }
    for (int c = 0; c < width; c += L) {
      int xi = xo + c;
      if (mean == null) {
        FloatVector s = FloatVector.fromArray(S, sum, c);
        for (int p = 0; p < pixels; p++, xi += xs) {
          s = s.add(FloatVector.fromArray(S, x, xi));
        }
        s.intoArray(sum, c);
      } else {
        FloatVector m = FloatVector.fromArray(S, mean, c);
        FloatVector s = FloatVector.fromArray(S, sq, c);
        for (int p = 0; p < pixels; p++, xi += xs) {
          FloatVector d = FloatVector.fromArray(S, x, xi).sub(m);
          s = d.fma(d, s);
        }
        s.intoArray(sq, c);
      }
    }
  }

  @Override
  void gradMoments(float[] g, float[] x, int o, int stride, int pixels, int width, float[] mean,
      float[] invStd, float[] sg, float[] sgx) {
    if (width % L != 0) {
      super.gradMoments(g, x, o, stride, pixels, width, mean, invStd, sg, sgx);
      return;
    }
    for (int c = 0; c < width; c += L) {
      FloatVector m = FloatVector.fromArray(S, mean, c);
      FloatVector is = FloatVector.fromArray(S, invStd, c);
      FloatVector s1 = FloatVector.fromArray(S, sg, c);
      FloatVector s2 = FloatVector.fromArray(S, sgx, c);
      int i = o + c;
      for (int p = 0; p < pixels; p++, i += stride) {
        FloatVector v = FloatVector.fromArray(S, g, i);
        s1 = s1.add(v);
        s2 = v.fma(FloatVector.fromArray(S, x, i).sub(m).mul(is), s2);
      }
      s1.intoArray(sg, c);
      s2.intoArray(sgx, c);
    }
  }

  @Override
  void normBackward(float[] g, float[] x, float[] dx, int o, int stride, int pixels, int width,
      float[] mean, float[] invStd, float[] a, float[] b, float[] d) {
    if (width % L != 0) {
      super.normBackward(g, x, dx, o, stride, pixels, width, mean, invStd, a, b, d);
      return;
    }
    for (int c = 0; c < width; c += L) {
      FloatVector m = FloatVector.fromArray(S, mean, c);
      FloatVector is = FloatVector.fromArray(S, invStd, c);
      FloatVector va = FloatVector.fromArray(S, a, c);
      FloatVector vb = FloatVector.fromArray(S, b, c);
      FloatVector vd = FloatVector.fromArray(S, d, c);
      int i = o + c;
      for (int p = 0; p < pixels; p++, i += stride) {
        FloatVector xhat = FloatVector.fromArray(S, x, i).sub(m).mul(is);
        FloatVector.fromArray(S, g, i).mul(va).sub(vb).sub(xhat.mul(vd)).intoArray(dx, i);
      }
    }
  }

  @Override
  void routeToMax(float[] x, int xo, float[] y, int yo, float[] dx, float[] rest, int width) {
    int c = 0;
    for (; c + L <= width; c += L) {
      VectorMask<Float> hit = FloatVector.fromArray(S, x, xo + c)
          .compare(VectorOperators.EQ, FloatVector.fromArray(S, y, yo + c));
      FloatVector r = FloatVector.fromArray(S, rest, c);
      FloatVector.fromArray(S, dx, xo + c).add(r, hit).intoArray(dx, xo + c);
      r.blend(0f, hit).intoArray(rest, c);
    }
    for (; c < width; c++) {
      if (x[xo + c] == y[yo + c]) {
        dx[xo + c] += rest[c];
        rest[c] = 0f;
      }
    }
  }
}
