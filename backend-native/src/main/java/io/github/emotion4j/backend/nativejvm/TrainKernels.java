package io.github.emotion4j.backend.nativejvm;

/**
 * The kernels behind training: the matrix product that convolutions and dense layers reduce to,
 * and the per-channel loops of batch-norm and activations. The product is {@code C = A·B} or
 * {@code C += A·B}, A read through tables of row and column offsets (so a transposed A, or a
 * convolution's im2col matrix, costs no copy), B and C row-major; every element of C is one chain of fused multiply-adds over the
 * reduction in increasing order, starting from 0 or from C, whatever the kernels or the split of
 * rows among callers, so both kernel paths and any threading give the same values. The per-channel
 * loops work on {@code pixels} pixels of {@code width} channels each, laid {@code stride} floats
 * apart. Plain loops here; {@code VectorTrainKernels} overrides them with the Java Vector API.
 * Stateless and thread-safe.
 */
abstract class TrainKernels {
  /** Column counts {@code n}, and the row strides of B and C, are multiples of this. */
  static final int PAD = 32;
  /** Rows computed together by the vector kernels; splits of {@code m} are best made in these. */
  static final int ROWS = 6;
  /** Reduction steps per pass: a pass's panel of B and rows of A stay in the L2 cache. */
  static final int KC = 256;

  /** A short description for logs, e.g. {@code "vector API (16 float lanes)"}. */
  abstract String name();

  /**
   * Computes rows {@code [m0, m1)} of {@code C[m × n] (+)= A[m × k] · B[k × n]}, A read through
   * offset tables: element (i, q) of A is {@code a[aOff + rows[i] + cols[q]]}. Strides give a
   * plain or transposed matrix; a convolution's window offsets give its im2col matrix without
   * building it.
   *
   * @param n columns, a multiple of {@link #PAD}
   * @param b B's values: element (q, j) at {@code bOff + q * ldb + j}
   * @param c C's values: element (i, j) at {@code cOff + i * ldc + j}
   * @param add whether to add to C rather than overwrite it
   */
  abstract void gemm(int m0, int m1, int n, int k, float[] a, int aOff, int[] rows, int[] cols,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add);

  /** Whole {@code C}: rows {@code [0, m)}. */
  final void gemm(int m, int n, int k, float[] a, int aOff, int[] rows, int[] cols,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add) {
    gemm(0, m, n, k, a, aOff, rows, cols, b, bOff, ldb, c, cOff, ldc, add);
  }

  /** Like {@link #gemm(int, int, int, float[], int, int[], int[], float[], int, int, float[], int,
   * int, boolean)}, its rows split across the cores when the product is large enough to pay. */
  final void gemmParallel(int m, int n, int k, float[] a, int aOff, int[] rows, int[] cols,
      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add) {
    int tiles = (m + ROWS - 1) / ROWS;
    if ((long) m * n * k < 1_000_000 || tiles < 2) {
      gemm(0, m, n, k, a, aOff, rows, cols, b, bOff, ldb, c, cOff, ldc, add);
      return;
    }
    Parallel.forEach(tiles, Parallel.THREADS * 4, (from, to) -> gemm(from * ROWS,
        Math.min(m, to * ROWS), n, k, a, aOff, rows, cols, b, bOff, ldb, c, cOff, ldc, add));
  }

  /** The offsets {@code 0, step, 2·step, …} of {@code count} rows or columns. */
  static int[] strided(int count, int step) {
    int[] o = new int[count];
    for (int i = 0; i < count; i++) {
      o[i] = i * step;
    }
    return o;
  }

  /**
   * {@code y = act(x · scale + shift)} per channel, act being {@code z > 0 ? z : slope · z}.
   * Channels past the real ones must have scale and shift 0.
   */
  void scaleShiftAct(float[] x, int xo, int xs, float[] y, int yo, int ys, int pixels, int width,
      float[] scale, float[] shift, float slope) {
    for (int p = 0; p < pixels; p++, xo += xs, yo += ys) {
      for (int c = 0; c < width; c++) {
        float z = x[xo + c] * scale[c] + shift[c];
        y[yo + c] = z > 0 ? z : z * slope;
      }
    }
  }

  /** {@code dx = x > 0 ? dy : slope · dy} over {@code count} values (x may be the output of the act). */
  void actBackward(float[] x, int xo, float[] dy, int dyo, float[] dx, int dxo, int count, float slope) {
    for (int i = 0; i < count; i++) {
      float g = dy[dyo + i];
      dx[dxo + i] = x[xo + i] > 0 ? g : g * slope;
    }
  }

  /** Adds per channel {@code Σ x} to {@code sum} and, unless {@code mean} is null, {@code Σ (x − mean)²} to {@code sq}. */
  void moments(float[] x, int xo, int xs, int pixels, int width, float[] mean, float[] sum, float[] sq) {
    for (int p = 0; p < pixels; p++, xo += xs) {
      if (mean == null) {
        for (int c = 0; c < width; c++) {
          sum[c] += x[xo + c];
        }
      } else {
        for (int c = 0; c < width; c++) {
          float d = x[xo + c] - mean[c];
          sq[c] += d * d;
        }
      }
    }
  }

  /** Adds per channel {@code Σ g} to {@code sg} and {@code Σ g · (x − mean) · invStd} to {@code sgx}. */
  void gradMoments(float[] g, float[] x, int o, int stride, int pixels, int width, float[] mean,
      float[] invStd, float[] sg, float[] sgx) {
    for (int p = 0; p < pixels; p++, o += stride) {
      for (int c = 0; c < width; c++) {
        float v = g[o + c];
        sg[c] += v;
        sgx[c] += v * ((x[o + c] - mean[c]) * invStd[c]);
      }
    }
  }

  /** Batch-norm's input gradient: {@code dx = a·g − b − (x − mean) · invStd · d} per channel. */
  void normBackward(float[] g, float[] x, float[] dx, int o, int stride, int pixels, int width,
      float[] mean, float[] invStd, float[] a, float[] b, float[] d) {
    for (int p = 0; p < pixels; p++, o += stride) {
      for (int c = 0; c < width; c++) {
        float xhat = (x[o + c] - mean[c]) * invStd[c];
        dx[o + c] = a[c] * g[o + c] - b[c] - xhat * d[c];
      }
    }
  }

  /**
   * One tap of max pooling's backward pass over {@code width} channels: where the input equals the
   * window's maximum, the gradient still unrouted ({@code rest}) is added to dx and set to 0.
   */
  void routeToMax(float[] x, int xo, float[] y, int yo, float[] dx, float[] rest, int width) {
    for (int c = 0; c < width; c++) {
      if (x[xo + c] == y[yo + c]) {
        dx[xo + c] += rest[c];
        rest[c] = 0f;
      }
    }
  }

  /** The kernels matching inference's: Vector API ones when {@code kernels} are, else plain loops. */
  static TrainKernels of(Kernels kernels) {
    if (kernels instanceof PlainKernels) {
      return new Plain();
    }
    try {
      return (TrainKernels) Class.forName("io.github.emotion4j.backend.nativejvm.VectorTrainKernels")
          .getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("The Vector API training kernels could not start: " + e, e);
    }
  }

  /** Plain loops: for each row, a multiply-add per column, vectorised by the JIT. */
  static final class Plain extends TrainKernels {
    @Override
    String name() {
      return "plain loops";
    }

    @Override
    void gemm(int m0, int m1, int n, int k, float[] a, int aOff, int[] rows, int[] cols,
        float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean add) {
      for (int i = m0; i < m1; i++) {
        int ci = cOff + i * ldc;
        if (!add) {
          java.util.Arrays.fill(c, ci, ci + n, 0f);
        }
        int ai = aOff + rows[i];
        for (int q = 0; q < k; q++) {
          float x = a[ai + cols[q]];
          int bq = bOff + q * ldb;
          for (int j = 0; j < n; j++) {
            c[ci + j] = Math.fma(x, b[bq + j], c[ci + j]);
          }
        }
      }
    }
  }
}
