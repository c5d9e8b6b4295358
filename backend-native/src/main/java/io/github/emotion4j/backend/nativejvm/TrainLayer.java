package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.model.NetworkSummary;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One layer of a {@link TrainNet}: a forward pass over a whole batch, in training or inference
 * mode, and the backward pass that turns the gradient of its output into the gradient of its input
 * (when an earlier layer needs it) and of its weights. Activations are HWC per image, laid out as
 * {@link Geom}s without borders, images one after another; channels past the real ones hold zeros.
 * Not thread-safe: a network trains on one thread, which spreads each layer over the cores.
 */
abstract class TrainLayer {
  final int index;
  final Geom in;
  final Geom out;

  TrainLayer(int index, Geom in, Geom out) {
    this.index = index;
    this.in = in;
    this.out = out;
  }

  /** The layer's tensors, in the package's order. */
  List<Param> params() {
    return List.of();
  }

  /** Called after the weights changed, before the next forward pass. */
  void prepare() {}

  /** Computes the output {@code y} of a batch of n images from {@code x}. */
  abstract void forward(TrainContext ctx, float[] x, float[] y, int n);

  /**
   * Computes the weights' gradients and, unless {@code dx} is null, the input's gradient, from the
   * output's gradient {@code dy}; {@code x} and {@code y} are the last forward pass's.
   */
  abstract void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n);

  static String name(int layer, String suffix) {
    return NetworkSummary.tensorName(layer, suffix);
  }

  /** The geometry of an activation: HWC, channels padded to {@link TrainKernels#PAD}, no border. */
  static Geom geom(int channels, int height, int width) {
    return new Geom(channels, VecOp.roundUp(channels, TrainKernels.PAD), height, width, 0);
  }

  /**
   * A convolution as matrix products whose A is read in place through offset tables (implicit
   * im2col) from a copy of each image with a zero border as wide as the padding: forward {@code y =
   * col(x)·W}, weight gradient {@code dW += col(x)ᵀ·dy}, and the input gradient either as a
   * stride-1 convolution of {@code dy} (bordered by {@code kernel − 1 − padding}) with the flipped
   * kernel, written straight into dx, or (other strides, unpadded inputs) as {@code dy·Wᵀ} scattered
   * back by col2im.
   */
  static final class Conv extends TrainLayer {
    /** Winograd pays only when the products' reduction (the input channels) is this long. */
    private static final int WINOGRAD_MIN_CHANNELS = 8;
    private static final boolean WINOGRAD = !"false".equals(System.getProperty("emotion4j.native.trainWinograd"));
    /** Rows of the col2im path's scratch matrix per block of output pixels. */
    private static final int BLOCK_FLOATS = 32 * 1024;
    final int kernel;
    final int step;
    final int padding;
    final int cin;
    final int cout;
    /** Reduction length: taps × input channels, in (ky, kx, ic) order. */
    final int taps;
    final int tapsPadded;
    final int pixels;
    /** Whether the input gradient is a stride-1 convolution of dy (else dy·Wᵀ and col2im). */
    final boolean transposed;
    final Param weight;
    final Param bias;
    /** The bordered input image: width and size. */
    private final int padWidth;
    private final int padSize;
    /** For each output pixel, the offset of its window in the bordered input. */
    private final int[] windows;
    /** For each (ky, kx, ic), its offset from a window's corner. */
    private final int[] tapOffsets;
    /** The stride-1 input gradient: the bordered dy image's border, width and size. */
    private final int backBorder;
    private final int backWidth;
    private final int backSize;
    private final int[] backWindows;
    private final int[] backTaps;
    /** The col2im path: offsets of dy's rows and columns, rows per block. */
    private final int[] dyRows;
    private final int[] dyCols;
    private final int block;
    /** Forward B: [taps][out.stride()]. */
    private final float[] wf;
    /** Input-gradient B: [taps'][in.stride()] with the kernel flipped (transposed), else [cout][tapsPadded]. */
    private final float[] wb;
    private float[][] dwParts = new float[0][];
    private float[][] dbParts = new float[0][];
    private final BufferPool<float[][]> scratch;
    /** Winograd F(2×2, 3×3) for the forward pass and the input gradient, where they apply, else null. */
    private final TrainWinograd forwardWinograd;
    private final TrainWinograd backWinograd;
    private final BufferPool<float[][]> forwardScratch;
    private final BufferPool<float[][]> backScratch;

    Conv(int index, Geom in, Geom out, int kernel, int step, int padding, boolean hasBias) {
      super(index, in, out);
      this.kernel = kernel;
      this.step = step;
      this.padding = padding;
      this.cin = in.channels();
      this.cout = out.channels();
      this.taps = kernel * kernel * cin;
      this.tapsPadded = VecOp.roundUp(taps, TrainKernels.PAD);
      this.pixels = out.height() * out.width();
      this.transposed = step == 1 && in.stride() % TrainKernels.PAD == 0 && padding < kernel;
      this.weight = new Param(name(index, "weight"), new int[] {cout, cin, kernel, kernel}, true);
      this.bias = hasBias ? new Param(name(index, "bias"), new int[] {cout}, true) : null;
      int is = in.stride();
      int os = out.stride();
      this.padWidth = in.width() + 2 * padding;
      this.padSize = Math.toIntExact((long) (in.height() + 2 * padding) * padWidth * is);
      this.windows = new int[pixels];
      for (int p = 0; p < pixels; p++) {
        int oy = p / out.width();
        int ox = p - oy * out.width();
        windows[p] = (oy * step * padWidth + ox * step) * is;
      }
      this.tapOffsets = new int[taps];
      for (int ky = 0, t = 0; ky < kernel; ky++) {
        for (int kx = 0; kx < kernel; kx++) {
          for (int ic = 0; ic < cin; ic++) {
            tapOffsets[t++] = (ky * padWidth + kx) * is + ic;
          }
        }
      }
      this.backBorder = kernel - 1 - padding;
      this.backWidth = out.width() + 2 * backBorder;
      if (transposed) {
        this.backSize = Math.toIntExact((long) (out.height() + 2 * backBorder) * backWidth * os);
        int inPixels = in.height() * in.width();
        this.backWindows = new int[inPixels];
        for (int p = 0; p < inPixels; p++) {
          int iy = p / in.width();
          backWindows[p] = (iy * backWidth + p - iy * in.width()) * os;
        }
        this.backTaps = new int[kernel * kernel * cout];
        for (int ky = 0, t = 0; ky < kernel; ky++) {
          for (int kx = 0; kx < kernel; kx++) {
            for (int oc = 0; oc < cout; oc++) {
              backTaps[t++] = (ky * backWidth + kx) * os + oc;
            }
          }
        }
      } else {
        this.backSize = 0;
        this.backWindows = null;
        this.backTaps = null;
      }
      this.block = Math.max(TrainKernels.ROWS, BLOCK_FLOATS / tapsPadded);
      this.dyRows = TrainKernels.strided(block, os);
      this.dyCols = TrainKernels.strided(cout, 1);
      if ((long) taps * os > Integer.MAX_VALUE - 64 || (long) taps * is > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("convolution " + in + " -> " + out + " is too large");
      }
      this.wf = new float[taps * os];
      this.wb = transposed ? new float[kernel * kernel * cout * is] : new float[cout * tapsPadded];
      this.scratch = new BufferPool<>(Parallel.THREADS * 2, () -> new float[][] {
          new float[padSize], new float[transposed ? backSize : block * tapsPadded]});
      boolean winograd = kernel == 3 && step == 1 && padding <= 2 && WINOGRAD;
      this.forwardWinograd = winograd && cin >= WINOGRAD_MIN_CHANNELS ? new TrainWinograd(cin, is, in.height(), in.width(), cout, os,
          out.height(), out.width(), padding) : null;
      this.backWinograd = winograd && transposed && cout >= WINOGRAD_MIN_CHANNELS ? new TrainWinograd(cout, os, out.height(), out.width(),
          cin, is, in.height(), in.width(), backBorder) : null;
      this.forwardScratch = forwardWinograd != null ? new BufferPool<>(Parallel.THREADS * 2, forwardWinograd::scratch) : null;
      this.backScratch = backWinograd != null
          ? new BufferPool<>(Parallel.THREADS * 2, backWinograd::scratch) : null;
    }

    @Override
    List<Param> params() {
      return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    void prepare() {
      int os = out.stride();
      int is = in.stride();
      float[] w = weight.value;
      for (int o = 0; o < cout; o++) {
        for (int ic = 0; ic < cin; ic++) {
          for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
              float v = w[((o * cin + ic) * kernel + ky) * kernel + kx];
              int t = (ky * kernel + kx) * cin + ic;
              wf[t * os + o] = v;
              if (transposed) { // flipped: tap (ky, kx) of dy's window meets weight (k−1−ky, k−1−kx)
                wb[(((kernel - 1 - ky) * kernel + kernel - 1 - kx) * cout + o) * is + ic] = v;
              } else {
                wb[o * tapsPadded + t] = v;
              }
            }
          }
        }
      }
      if (forwardWinograd != null) {
        forwardWinograd.setWeights(w, false);
      }
      if (backWinograd != null) {
        backWinograd.setWeights(w, true);
      }
    }

    /** Copies a map into the interior of a buffer with a zero border (never written) of a given width. */
    private static void border(float[] src, int srcOff, Geom g, float[] dst, int border) {
      int row = g.width() * g.stride();
      int dstWidth = (g.width() + 2 * border) * g.stride();
      for (int y = 0; y < g.height(); y++) {
        System.arraycopy(src, srcOff + y * row, dst, (y + border) * dstWidth + border * g.stride(), row);
      }
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int os = out.stride();
      BufferPool<float[][]> pool = forwardWinograd != null ? forwardScratch : scratch;
      TrainContext.forChunks(n, (c, from, to) -> {
        float[][] s = pool.acquire();
        try {
          for (int img = from; img < to; img++) {
            int yo = img * out.size();
            if (forwardWinograd != null) {
              forwardWinograd.load(x, img * in.size(), in.height(), in.width(), s);
              forwardWinograd.run(ctx.kernels, s, y, yo);
            } else {
              border(x, img * in.size(), in, s[0], padding);
              ctx.kernels.gemm(pixels, os, taps, s[0], 0, windows, tapOffsets, wf, 0, os, y, yo, os, false);
            }
            if (bias != null) {
              float[] b = bias.value;
              for (int p = 0; p < pixels; p++) {
                int o = yo + p * os;
                for (int ch = 0; ch < cout; ch++) {
                  y[o + ch] += b[ch];
                }
              }
            }
          }
        } finally {
          pool.release(s);
        }
      });
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      int os = out.stride();
      int chunks = TrainContext.chunks(n);
      if (dwParts.length < chunks) {
        int size = forwardWinograd != null ? 16 * cin * os : taps * os;
        dwParts = new float[chunks][size];
        dbParts = new float[chunks][os];
      }
      TrainContext.forChunks(n, (c, from, to) -> {
        float[] dw = dwParts[c];
        float[] db = dbParts[c];
        Arrays.fill(dw, 0f);
        Arrays.fill(db, 0f);
        float[][] s = scratch.acquire();
        float[][] w = forwardWinograd != null ? forwardScratch.acquire() : null;
        try {
          for (int img = from; img < to; img++) {
            int yo = img * out.size();
            if (w != null) { // in the Winograd domain: 2.25 times fewer products
              forwardWinograd.load(x, img * in.size(), in.height(), in.width(), w);
              forwardWinograd.accumulateWeightGradient(ctx.kernels, w, dy, yo, dw);
            } else {
              border(x, img * in.size(), in, s[0], padding);
              ctx.kernels.gemm(taps, os, pixels, s[0], 0, tapOffsets, windows, dy, yo, os, dw, 0, os, true);
            }
            if (bias != null) {
              for (int p = 0; p < pixels; p++) {
                int o = yo + p * os;
                for (int ch = 0; ch < cout; ch++) {
                  db[ch] += dy[o + ch];
                }
              }
            }
            if (dx != null) {
              inputGradient(ctx.kernels, dy, dx, img, s[1]);
            }
          }
        } finally {
          scratch.release(s);
          if (w != null) {
            forwardScratch.release(w);
          }
        }
      });
      float[] dw = dwParts[0];
      for (int c = 1; c < chunks; c++) {
        float[] part = dwParts[c];
        for (int i = 0; i < dw.length; i++) {
          dw[i] += part[i];
        }
      }
      float[] g = weight.grad;
      if (forwardWinograd != null) {
        forwardWinograd.weightGradient(dw, g);
      } else {
        unpack(dw, g);
      }
      if (bias != null) {
        for (int ch = 0; ch < cout; ch++) {
          float sum = 0;
          for (int c = 0; c < chunks; c++) {
            sum += dbParts[c][ch];
          }
          bias.grad[ch] = sum;
        }
      }
    }

    /** The weight gradient from [taps][out.stride()] to PyTorch's [out][in][ky][kx]. */
    private void unpack(float[] dw, float[] g) {
      int os = out.stride();
      for (int o = 0; o < cout; o++) {
        for (int ic = 0; ic < cin; ic++) {
          for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
              g[((o * cin + ic) * kernel + ky) * kernel + kx] = dw[((ky * kernel + kx) * cin + ic) * os + o];
            }
          }
        }
      }
    }

    private void inputGradient(TrainKernels k, float[] dy, float[] dx, int img, float[] scratch) {
      int os = out.stride();
      int is = in.stride();
      int xo = img * in.size();
      int yo = img * out.size();
      if (backWinograd != null) {
        float[][] s = backScratch.acquire();
        try {
          backWinograd.load(dy, yo, out.height(), out.width(), s);
          backWinograd.run(k, s, dx, xo);
        } finally {
          backScratch.release(s);
        }
        return;
      }
      if (transposed) {
        border(dy, yo, out, scratch, backBorder);
        k.gemm(in.height() * in.width(), is, kernel * kernel * cout, scratch, 0, backWindows, backTaps, wb, 0,
            is, dx, xo, is, false);
        return;
      }
      Arrays.fill(dx, xo, xo + in.size(), 0f);
      for (int p0 = 0; p0 < pixels; p0 += block) {
        int p1 = Math.min(pixels, p0 + block);
        k.gemm(p1 - p0, tapsPadded, cout, dy, yo + p0 * os, dyRows, dyCols, wb, 0, tapsPadded, scratch, 0,
            tapsPadded, false);
        col2im(scratch, dx, img, p0, p1);
      }
    }

    /** Adds rows of {@code dcol} (output pixels [p0, p1)) back into image img's input gradient. */
    private void col2im(float[] dcol, float[] dx, int img, int p0, int p1) {
      int base = img * in.size();
      int is = in.stride();
      int w = out.width();
      for (int p = p0; p < p1; p++) {
        int oy = p / w;
        int ox = p - oy * w;
        int r = (p - p0) * tapsPadded;
        for (int ky = 0; ky < kernel; ky++) {
          int iy = oy * step - padding + ky;
          for (int kx = 0; kx < kernel; kx++, r += cin) {
            int ix = ox * step - padding + kx;
            if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
              int d = base + (iy * in.width() + ix) * is;
              for (int ic = 0; ic < cin; ic++) {
                dx[d + ic] += dcol[r + ic];
              }
            }
          }
        }
      }
    }
  }

  /**
   * A dense layer on each image's features, which may still be a feature map: a flatten before it
   * costs nothing, its weights' columns being permuted from PyTorch's CHW order to our HWC instead.
   */
  static final class Dense extends TrainLayer {
    final int features;
    final int units;
    final Param weight;
    final Param bias;
    /** For each of our input features, PyTorch's weight column, or -1 for a padding channel. */
    private final int[] column;
    /** Forward B: [features][out.stride()]. */
    private final float[] wf;
    /** Backward-data B: [units][featuresPadded]. */
    private final float[] wr;
    private final int featuresPadded;
    private final float[] dw;
    /** Scratch: the weights, or their gradient, as [real features][units]. */
    private final float[] transposed;
    private float[] dxPadded = new float[0];
    private final int[] featureCols;
    private final int[] unitCols;
    /** Row offsets of the input and of the output gradient, for the largest batch seen. */
    private int[] inRows = new int[0];
    private int[] outRows = new int[0];

    Dense(int index, Geom in, Geom out, boolean hasBias) {
      super(index, in, out);
      this.features = in.size();
      this.featuresPadded = VecOp.roundUp(features, TrainKernels.PAD);
      this.units = out.channels();
      int real = in.channels() * in.height() * in.width();
      this.weight = new Param(name(index, "weight"), new int[] {units, real}, true);
      this.bias = hasBias ? new Param(name(index, "bias"), new int[] {units}, true) : null;
      this.column = new int[features];
      int plane = in.height() * in.width();
      for (int f = 0; f < features; f++) {
        int ch = f % in.stride();
        int pixel = f / in.stride();
        column[f] = ch < in.channels() ? ch * plane + pixel : -1;
      }
      if ((long) featuresPadded * out.stride() > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("dense layer " + in + " -> " + out + " is too large");
      }
      this.wf = new float[features * out.stride()];
      this.wr = new float[units * featuresPadded];
      this.dw = new float[features * out.stride()];
      this.transposed = new float[units * real];
      this.featureCols = TrainKernels.strided(features, 1);
      this.unitCols = TrainKernels.strided(units, 1);
    }

    private void rows(int n) {
      if (inRows.length < n) {
        inRows = TrainKernels.strided(n, features);
        outRows = TrainKernels.strided(n, out.stride());
      }
    }

    @Override
    List<Param> params() {
      return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    @Override
    void prepare() {
      int os = out.stride();
      int real = weight.shape[1];
      float[] w = weight.value;
      transpose(w, units, real, transposed); // [real][units], so that each feature's row is one copy
      for (int f = 0; f < features; f++) {
        int col = column[f];
        if (col >= 0) {
          System.arraycopy(transposed, col * units, wf, f * os, units);
        }
      }
      for (int u = 0; u < units; u++) {
        for (int f = 0; f < features; f++) {
          int col = column[f];
          wr[u * featuresPadded + f] = col < 0 ? 0f : w[u * real + col];
        }
      }
    }

    /** dst[c][r] = src[r][c] for a rows × cols matrix, in cache-sized blocks. */
    private static void transpose(float[] src, int rows, int cols, float[] dst) {
      final int b = 32;
      for (int r0 = 0; r0 < rows; r0 += b) {
        for (int c0 = 0; c0 < cols; c0 += b) {
          for (int r = r0; r < Math.min(rows, r0 + b); r++) {
            for (int c = c0; c < Math.min(cols, c0 + b); c++) {
              dst[c * rows + r] = src[r * cols + c];
            }
          }
        }
      }
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int os = out.stride();
      rows(n);
      ctx.kernels.gemmParallel(n, os, features, x, 0, inRows, featureCols, wf, 0, os, y, 0, os, false);
      if (bias != null) {
        for (int r = 0; r < n; r++) {
          for (int u = 0; u < units; u++) {
            y[r * os + u] += bias.value[u];
          }
        }
      }
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      int os = out.stride();
      rows(n);
      ctx.kernels.gemmParallel(features, os, n, x, 0, featureCols, inRows, dy, 0, os, dw, 0, os, false);
      int real = weight.shape[1];
      for (int f = 0; f < features; f++) {
        int col = column[f];
        if (col >= 0) {
          System.arraycopy(dw, f * os, transposed, col * units, units);
        }
      }
      transpose(transposed, real, units, weight.grad);
      if (bias != null) {
        for (int u = 0; u < units; u++) {
          float sum = 0;
          for (int r = 0; r < n; r++) {
            sum += dy[r * os + u];
          }
          bias.grad[u] = sum;
        }
      }
      if (dx == null) {
        return;
      }
      if (features == featuresPadded) {
        ctx.kernels.gemmParallel(n, features, units, dy, 0, outRows, unitCols, wr, 0, features, dx, 0,
            features, false);
        return;
      }
      if (dxPadded.length < n * featuresPadded) {
        dxPadded = new float[n * featuresPadded];
      }
      ctx.kernels.gemmParallel(n, featuresPadded, units, dy, 0, outRows, unitCols, wr, 0, featuresPadded,
          dxPadded, 0, featuresPadded, false);
      for (int r = 0; r < n; r++) {
        System.arraycopy(dxPadded, r * featuresPadded, dx, r * features, features);
      }
    }
  }

  /**
   * Batch normalisation, and the activation after it when there is one (its backward pass only
   * needs the output's sign): in training mode over the batch's statistics (biased variance),
   * updating the running averages PyTorch's way (momentum 0.1, unbiased variance); in inference
   * mode over the running averages. Sums run per image in float, then per chunk in double.
   */
  static final class BatchNorm extends TrainLayer {
    private static final float MOMENTUM = 0.1f;
    final double epsilon;
    final Param gamma;
    final Param beta;
    final Param mean;
    final Param var;
    /** The slope below zero of the fused activation, or NaN for none. */
    final float slope;
    private final int channels;
    private final int width;
    private final float[] batchMean;
    private final float[] invStd;
    private final float[] scale;
    private final float[] shift;
    private final float[] a;
    private final float[] b;
    private final float[] d;
    private final double[] total;
    private final double[] total2;
    private double[][] sums = new double[0][];
    private double[][] sums2 = new double[0][];
    private float[][] partial = new float[0][];
    private float[][] partial2 = new float[0][];
    private float[] dz = new float[0];

    BatchNorm(int index, Geom in, double epsilon, float slope) {
      super(index, in, in);
      this.epsilon = epsilon;
      this.slope = slope;
      this.channels = in.channels();
      this.width = in.stride();
      int[] shape = {channels};
      this.gamma = new Param(name(index, "weight"), shape, true);
      this.beta = new Param(name(index, "bias"), shape, true);
      this.mean = new Param(name(index, "running_mean"), shape, false);
      this.var = new Param(name(index, "running_var"), shape, false);
      Arrays.fill(gamma.value, 1f);
      Arrays.fill(var.value, 1f);
      this.batchMean = new float[width];
      this.invStd = new float[width];
      this.scale = new float[width];
      this.shift = new float[width];
      this.a = new float[width];
      this.b = new float[width];
      this.d = new float[width];
      this.total = new double[width];
      this.total2 = new double[width];
    }

    @Override
    List<Param> params() {
      return List.of(gamma, beta, mean, var);
    }

    /** One image's per-channel sums. */
    private interface ImageSums {
      void run(int img, float[] sum, float[] sum2);
    }

    /** Sums over the batch per channel into total and total2: per image, per chunk, then in order. */
    private void reduce(int n, ImageSums body) {
      int chunks = TrainContext.chunks(n);
      if (sums.length < chunks) {
        sums = new double[chunks][width];
        sums2 = new double[chunks][width];
        partial = new float[chunks][width];
        partial2 = new float[chunks][width];
      }
      TrainContext.forChunks(n, (k, from, to) -> {
        Arrays.fill(sums[k], 0);
        Arrays.fill(sums2[k], 0);
        for (int img = from; img < to; img++) {
          Arrays.fill(partial[k], 0f);
          Arrays.fill(partial2[k], 0f);
          body.run(img, partial[k], partial2[k]);
          for (int ch = 0; ch < channels; ch++) {
            sums[k][ch] += partial[k][ch];
            sums2[k][ch] += partial2[k][ch];
          }
        }
      });
      Arrays.fill(total, 0);
      Arrays.fill(total2, 0);
      for (int k = 0; k < chunks; k++) {
        for (int ch = 0; ch < channels; ch++) {
          total[ch] += sums[k][ch];
          total2[ch] += sums2[k][ch];
        }
      }
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int plane = in.height() * in.width();
      int size = in.size();
      TrainKernels kern = ctx.kernels;
      if (ctx.training) {
        long count = (long) n * plane;
        reduce(n, (img, sum, sq) -> kern.moments(x, img * size, width, plane, width, null, sum, sq));
        for (int ch = 0; ch < channels; ch++) {
          batchMean[ch] = (float) (total[ch] / count);
        }
        double[] m = total.clone();
        reduce(n, (img, sum, sq) -> kern.moments(x, img * size, width, plane, width, batchMean, sum, sq));
        for (int ch = 0; ch < channels; ch++) {
          double mu = m[ch] / count;
          double v = total2[ch] / count;
          invStd[ch] = (float) (1 / Math.sqrt(v + epsilon));
          scale[ch] = (float) (gamma.value[ch] / Math.sqrt(v + epsilon));
          shift[ch] = (float) (beta.value[ch] - mu * scale[ch]);
          double unbiased = count > 1 ? v * count / (count - 1) : v;
          mean.value[ch] = (1 - MOMENTUM) * mean.value[ch] + MOMENTUM * (float) mu;
          var.value[ch] = (1 - MOMENTUM) * var.value[ch] + MOMENTUM * (float) unbiased;
        }
      } else {
        for (int ch = 0; ch < channels; ch++) {
          double sc = gamma.value[ch] / Math.sqrt(var.value[ch] + epsilon);
          scale[ch] = (float) sc;
          shift[ch] = (float) (beta.value[ch] - mean.value[ch] * sc);
        }
      }
      float act = Float.isNaN(slope) ? 1f : slope;
      TrainContext.forChunks(n, (k, from, to) -> kern.scaleShiftAct(x, from * size, width, y,
          from * size, width, (to - from) * plane, width, scale, shift, act));
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      int plane = in.height() * in.width();
      int size = in.size();
      long count = (long) n * plane;
      TrainKernels kern = ctx.kernels;
      float[] g = dy;
      if (!Float.isNaN(slope)) { // through the activation first: dz = y > 0 ? dy : slope·dy
        g = dx;
        if (g == null) {
          if (dz.length < n * size) {
            dz = new float[n * size];
          }
          g = dz;
        }
        float[] into = g;
        TrainContext.forChunks(n, (k, from, to) -> kern.actBackward(y, from * size, dy, from * size,
            into, from * size, (to - from) * size, slope));
      }
      float[] gz = g;
      reduce(n, (img, s1, s2) -> kern.gradMoments(gz, x, img * size, width, plane, width, batchMean,
          invStd, s1, s2));
      for (int ch = 0; ch < channels; ch++) {
        gamma.grad[ch] = (float) total2[ch];
        beta.grad[ch] = (float) total[ch];
        // dx = γ·σ⁻¹ (dy − mean(dy) − x̂·mean(dy·x̂))
        double gs = gamma.value[ch] * (double) invStd[ch];
        a[ch] = (float) gs;
        b[ch] = (float) (gs * total[ch] / count);
        d[ch] = (float) (gs * total2[ch] / count);
      }
      if (dx == null) {
        return;
      }
      TrainContext.forChunks(n, (k, from, to) -> kern.normBackward(gz, x, dx, from * size, width,
          (to - from) * plane, width, batchMean, invStd, a, b, d));
    }
  }

  /** ReLU (slope 0) or leaky ReLU. */
  static final class Act extends TrainLayer {
    final float slope;
    private final float[] one;
    private final float[] zero;

    Act(int index, Geom in, float slope) {
      super(index, in, in);
      this.slope = slope;
      this.one = new float[in.stride()];
      this.zero = new float[in.stride()];
      Arrays.fill(one, 1f);
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int size = in.size();
      int plane = in.height() * in.width();
      int w = in.stride();
      TrainContext.forChunks(n, (k, from, to) -> ctx.kernels.scaleShiftAct(x, from * size, w, y,
          from * size, w, (to - from) * plane, w, one, zero, slope));
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      if (dx == null) {
        return;
      }
      int size = in.size();
      TrainContext.forChunks(n, (k, from, to) -> ctx.kernels.actBackward(x, from * size, dy,
          from * size, dx, from * size, (to - from) * size, slope));
    }
  }

  /** Inverted dropout: kept values scaled by 1 / (1 − rate) in training, the identity otherwise. */
  static final class Dropout extends TrainLayer {
    final double rate;
    private float[] mask = new float[0];

    Dropout(int index, Geom in, double rate) {
      super(index, in, in);
      this.rate = rate;
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int size = in.size();
      if (!ctx.training || rate == 0) {
        System.arraycopy(x, 0, y, 0, n * size);
        return;
      }
      if (mask.length < n * size) {
        mask = new float[n * size];
      }
      int c = in.channels();
      int stride = in.stride();
      float keep = (float) (1 / (1 - rate));
      TrainContext.forChunks(n, (k, from, to) -> {
        for (int img = from; img < to; img++) {
          // one stream per (step, layer, image): the same masks on any number of threads
          SplittableRandom random = new SplittableRandom(ctx.seed * 1_000_003L + index * 65_537L + img);
          for (int i = img * size, end = i + size; i < end; i += stride) {
            for (int ch = 0; ch < c; ch++) {
              float s = random.nextDouble() < rate ? 0f : keep;
              mask[i + ch] = s;
              y[i + ch] = x[i + ch] * s;
            }
          }
        }
      });
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      if (dx == null) {
        return;
      }
      int size = in.size();
      if (rate == 0) {
        System.arraycopy(dy, 0, dx, 0, n * size);
        return;
      }
      TrainContext.forChunks(n, (k, from, to) -> {
        for (int i = from * size; i < to * size; i++) {
          dx[i] = dy[i] * mask[i];
        }
      });
    }
  }

  /**
   * Max or average pooling; average counts padding as zeros (PyTorch's default). The backward pass
   * of max pooling sends each gradient to the first maximum of its window, as PyTorch does.
   */
  static final class Pool extends TrainLayer {
    final boolean max;
    final int kernel;
    final int step;
    final int padding;
    /** Per chunk, per channel: the gradient not yet routed to a maximum. */
    private float[][] left = new float[0][];

    Pool(int index, Geom in, int outHeight, int outWidth, boolean max, int kernel, int step, int padding) {
      super(index, in, new Geom(in.channels(), in.stride(), outHeight, outWidth, 0));
      this.max = max;
      this.kernel = kernel;
      this.step = step;
      this.padding = padding;
    }

    /**
     * Writes the input offsets (within an image) of the taps of output pixel (oy, ox)'s window
     * that lie inside the input, in row-major order, and returns how many there are.
     */
    private int window(int oy, int ox, int[] taps) {
      int count = 0;
      int y0 = oy * step - padding;
      int x0 = ox * step - padding;
      for (int iy = Math.max(0, y0); iy < Math.min(in.height(), y0 + kernel); iy++) {
        for (int ix = Math.max(0, x0); ix < Math.min(in.width(), x0 + kernel); ix++) {
          taps[count++] = (iy * in.width() + ix) * in.stride();
        }
      }
      return count;
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int c = in.channels();
      float scale = 1f / (kernel * kernel);
      TrainContext.forChunks(n, (k, from, to) -> {
        int[] taps = new int[kernel * kernel];
        for (int img = from; img < to; img++) {
          int xb = img * in.size();
          for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
              int o = img * out.size() + (oy * out.width() + ox) * out.stride();
              int count = window(oy, ox, taps);
              System.arraycopy(x, xb + taps[0], y, o, c);
              for (int t = 1; t < count; t++) {
                int i = xb + taps[t];
                if (max) {
                  for (int ch = 0; ch < c; ch++) {
                    y[o + ch] = Math.max(y[o + ch], x[i + ch]);
                  }
                } else {
                  for (int ch = 0; ch < c; ch++) {
                    y[o + ch] += x[i + ch];
                  }
                }
              }
              if (!max) {
                for (int ch = 0; ch < c; ch++) {
                  y[o + ch] *= scale;
                }
              }
            }
          }
        }
      });
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      if (dx == null) {
        return;
      }
      int c = in.channels();
      float scale = 1f / (kernel * kernel);
      int chunks = TrainContext.chunks(n);
      if (left.length < chunks) {
        left = new float[chunks][c];
      }
      TrainContext.forChunks(n, (k, from, to) -> {
        float[] rest = left[k];
        int[] taps = new int[kernel * kernel];
        for (int img = from; img < to; img++) {
          int xb = img * in.size();
          Arrays.fill(dx, xb, xb + in.size(), 0f);
          for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
              int o = img * out.size() + (oy * out.width() + ox) * out.stride();
              int count = window(oy, ox, taps);
              if (max) { // the first tap equal to the maximum takes what is left: all of it
                System.arraycopy(dy, o, rest, 0, c);
                for (int t = 0; t < count; t++) {
                  ctx.kernels.routeToMax(x, xb + taps[t], y, o, dx, rest, c);
                }
              } else {
                for (int t = 0; t < count; t++) {
                  int i = xb + taps[t];
                  for (int ch = 0; ch < c; ch++) {
                    dx[i + ch] += dy[o + ch] * scale;
                  }
                }
              }
            }
          }
        }
      });
    }
  }

  /** Global average pooling: one value per channel. */
  static final class GlobalAvg extends TrainLayer {
    GlobalAvg(int index, Geom in) {
      super(index, in, new Geom(in.channels(), in.stride(), 1, 1, 0));
    }

    @Override
    void forward(TrainContext ctx, float[] x, float[] y, int n) {
      int c = in.channels();
      int plane = in.height() * in.width();
      float scale = 1f / plane;
      TrainContext.forChunks(n, (k, from, to) -> {
        for (int img = from; img < to; img++) {
          int o = img * out.size();
          Arrays.fill(y, o, o + c, 0f);
          for (int p = 0; p < plane; p++) {
            int i = img * in.size() + p * in.stride();
            for (int ch = 0; ch < c; ch++) {
              y[o + ch] += x[i + ch];
            }
          }
          for (int ch = 0; ch < c; ch++) {
            y[o + ch] *= scale;
          }
        }
      });
    }

    @Override
    void backward(TrainContext ctx, float[] x, float[] y, float[] dy, float[] dx, int n) {
      if (dx == null) {
        return;
      }
      int c = in.channels();
      int plane = in.height() * in.width();
      float scale = 1f / plane;
      TrainContext.forChunks(n, (k, from, to) -> {
        for (int img = from; img < to; img++) {
          for (int p = 0; p < plane; p++) {
            for (int ch = 0; ch < c; ch++) {
              dx[img * in.size() + p * in.stride() + ch] = dy[img * out.size() + ch] * scale;
            }
          }
        }
      });
    }
  }
}
