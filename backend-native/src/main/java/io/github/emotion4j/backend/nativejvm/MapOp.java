package io.github.emotion4j.backend.nativejvm;

/**
 * One step on a single image's feature maps, from an input buffer to an output buffer laid out as
 * {@link Geom}s. Its work is split into tiles so that threads can share one image; running all
 * tiles in any order, on any threads, gives the same output. Immutable once built; thread-safe.
 */
abstract class MapOp {
  final Geom in;
  final Geom out;

  MapOp(Geom in, Geom out) {
    this.in = in;
    this.out = out;
  }

  /** The number of independent tiles. */
  abstract int tiles();

  /** Floating-point operations per image, to decide whether splitting one image pays. */
  abstract long flops();

  /** Computes tiles {@code [from, to)}: reads only {@code src}, writes only its share of {@code dst}. */
  abstract void run(float[] src, float[] dst, int from, int to);

  /** A convolution with folded batch-norm, bias and activation; the kernels do the work. */
  static final class Conv extends MapOp {
    final Kernels kernels;
    final int kernel;
    final int step;
    final int inChannels;
    final int block;
    final int blocks;
    final int pixelTile;
    final int pixels;
    final int pixelTiles;
    /** Weights as [block][ky][kx][inChannels][block width]. */
    final float[] weights;
    /** Bias per output channel, padded with zeros to {@code out.stride()}. */
    final float[] bias;
    final Activation activation;
    final int realOut;
    /** Input offset of each (ky, kx, ic) in weight order, from a window's top-left channel 0. */
    final int[] taps;
    private final long flops;

    Conv(Kernels kernels, Geom in, Geom out, int kernel, int step, float[] weights, float[] bias,
        Activation activation) {
      super(in, out);
      this.kernels = kernels;
      this.kernel = kernel;
      this.step = step;
      this.inChannels = in.channels();
      this.block = kernels.block();
      this.blocks = out.stride() / block;
      this.pixelTile = kernels.pixelTile();
      this.pixels = out.height() * out.width();
      this.pixelTiles = (pixels + pixelTile - 1) / pixelTile;
      this.weights = weights;
      this.bias = bias;
      this.activation = activation;
      this.realOut = out.channels();
      this.flops = 2L * pixels * realOut * inChannels * kernel * kernel;
      this.taps = new int[kernel * kernel * inChannels];
      for (int ky = 0, q = 0; ky < kernel; ky++) {
        for (int kx = 0; kx < kernel; kx++) {
          for (int ic = 0; ic < inChannels; ic++) {
            taps[q++] = tapOffset(ky, kx) + ic;
          }
        }
      }
    }

    /** Index in the input of channel 0 of the window's top-left tap for output pixel p. */
    int inBase(int p) {
      int oy = p / out.width();
      int ox = p - oy * out.width();
      return (oy * step * in.paddedWidth() + ox * step) * in.stride();
    }

    /** Index in the input of channel 0 of the window's top-left tap for output pixel (oy, ox). */
    int inBase(int oy, int ox) {
      return (oy * step * in.paddedWidth() + ox * step) * in.stride();
    }

    /** Index in the output of channel 0 of output pixel p. */
    int outBase(int p) {
      int oy = p / out.width();
      return out.index(oy, p - oy * out.width());
    }

    /** Offset in the input between tap (0, 0) and tap (ky, kx). */
    int tapOffset(int ky, int kx) {
      return (ky * in.paddedWidth() + kx) * in.stride();
    }

    @Override
    int tiles() {
      return blocks * pixelTiles;
    }

    @Override
    long flops() {
      return flops;
    }

    @Override
    void run(float[] src, float[] dst, int from, int to) {
      kernels.conv(this, src, dst, from, to);
    }

    @Override
    public String toString() {
      return "conv" + kernel + "x" + kernel + "/" + step + " " + in + " -> " + out + " +"
          + activation;
    }
  }

  /**
   * A 3×3, stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, 2015):
   * each 4×4 input window is transformed, multiplied element-wise with the transformed filters (16
   * products per input channel for 2×2 outputs, where the direct method needs 36), and transformed
   * back. The 16 element-wise products over all channels are 16 small matrix products, which the
   * kernels run with the same register tile as dense layers. Chosen by {@link #applies} when the
   * kernels offer it; other convolutions stay {@link Conv}. Batch-norm is folded, bias and
   * activation fused as in {@link Conv}.
   */
  static final class Winograd extends MapOp {
    /**
     * At most this many output tiles (2×2 pixels each) are transformed and multiplied together:
     * every group streams all transformed weights once, so groups are as large as the scratch
     * arrays allow while staying in the L2 cache.
     */
    static final int MAX_GROUP = 48;
    /** Rows of the kernels' register tile: a group is a multiple of it. */
    static final int ROWS = 6;
    /**
     * The floats a group's transformed inputs and products may take together (192 KB), so that
     * both stay in a 512 KB L2 cache next to the weights being streamed. (Per-layer timings with
     * {@code LayerTiming} on the shared 2-core machine were too noisy to rank budgets from 96 KB to
     * unbounded; this is the cache argument, not a measured optimum.)
     */
    private static final int SCRATCH_FLOATS = 48 * 1024;
    /** Work units wanted per image at least, so that one image spreads over the cores. */
    private static final int MIN_UNITS = 4;

    final Kernels kernels;
    final int inChannels;
    final int block;
    final int blocks;
    final int tilesX;
    final int tileCount;
    final int group;
    final int groups;
    /** Output-channel blocks per work unit: a unit is one group of tiles × a range of blocks. */
    final int unitBlocks;
    final int blockChunks;
    /** Transformed weights as [position 0..15][block][inChannels][block width]. */
    final float[] weights;
    /** Bias per output channel, padded with zeros to {@code out.stride()}. */
    final float[] bias;
    final Activation activation;
    private final long flops;

    /**
     * @param weights folded weights in PyTorch's [out][in][3][3] order
     * @param bias folded bias per real output channel
     */
    Winograd(Kernels kernels, Geom in, Geom out, float[] weights, float[] bias, Activation activation) {
      super(in, out);
      this.kernels = kernels;
      this.inChannels = in.channels();
      this.block = kernels.block();
      this.blocks = out.stride() / block;
      this.tilesX = out.width() / 2;
      this.tileCount = tilesX * (out.height() / 2);
      int fit = SCRATCH_FLOATS / (16 * (in.stride() + out.stride()));
      this.group = Math.max(ROWS, Math.min(Math.min(MAX_GROUP, fit), tileCount) / ROWS * ROWS);
      this.groups = (tileCount + group - 1) / group;
      // few groups (small maps): split the output channels too, so the cores can share an image
      int chunks = Math.min(blocks, (MIN_UNITS + groups - 1) / groups);
      this.unitBlocks = (blocks + chunks - 1) / chunks;
      this.blockChunks = (blocks + unitBlocks - 1) / unitBlocks;
      this.weights = transformWeights(weights, out.channels(), inChannels, blocks, block);
      this.bias = java.util.Arrays.copyOf(bias, out.stride());
      this.activation = activation;
      this.flops = 2L * out.height() * out.width() * out.channels() * inChannels * 9;
    }

    /**
     * Whether these kernels can run the convolution this way: 3×3, stride 1, an even output (whole
     * 2×2 tiles), input channels stored in whole blocks (a previous layer's output) and at least one
     * group of tiles.
     */
    static boolean applies(Kernels kernels, Geom in, Geom out, int kernel, int step) {
      return kernels.winograd() && kernel == 3 && step == 1 && out.height() % 2 == 0
          && out.width() % 2 == 0 && in.stride() % kernels.block() == 0
          && (out.height() / 2) * (out.width() / 2) >= ROWS;
    }

    /** U = G g Gᵀ for every (output, input) channel pair, computed in double. */
    private static float[] transformWeights(float[] w, int outs, int ins, int blocks, int block) {
      double[][] g = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
      float[] u = new float[16 * blocks * ins * block];
      for (int o = 0; o < outs; o++) {
        int blk = o / block;
        int lane = o - blk * block;
        for (int c = 0; c < ins; c++) {
          int wo = (o * ins + c) * 9;
          for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
              double sum = 0;
              for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                  sum += g[i][ky] * w[wo + ky * 3 + kx] * g[j][kx];
                }
              }
              u[(((i * 4 + j) * blocks + blk) * ins + c) * block + lane] = (float) sum;
            }
          }
        }
      }
      return u;
    }

    /** The first tile of group {@code g}; the last group overlaps the one before it. */
    int firstTile(int g) {
      return Math.min(g * group, tileCount - group);
    }

    /** Work units: unit {@code u} is group {@code u / blockChunks}, block chunk {@code u % blockChunks}. */
    @Override
    int tiles() {
      return groups * blockChunks;
    }

    @Override
    long flops() {
      return flops;
    }

    @Override
    void run(float[] src, float[] dst, int from, int to) {
      kernels.winograd(this, src, dst, from, to);
    }

    @Override
    public String toString() {
      return "conv3x3/1 winograd F(2x2,3x3) " + in + " -> " + out + " +" + activation;
    }
  }

  /** Max or average pooling (average counts padding as zeros, PyTorch's default). */
  static final class Pool extends MapOp {
    final Kernels kernels;
    final boolean max;
    final int kernel;
    final int step;
    final int padding;
    /** Input offset of each tap of a window from its top-left pixel, row-major. */
    final int[] taps;

    Pool(Kernels kernels, Geom in, Geom out, boolean max, int kernel, int step, int padding) {
      super(in, out);
      this.kernels = kernels;
      this.max = max;
      this.kernel = kernel;
      this.step = step;
      this.padding = padding;
      this.taps = new int[kernel * kernel];
      for (int ky = 0; ky < kernel; ky++) {
        for (int kx = 0; kx < kernel; kx++) {
          taps[ky * kernel + kx] = (ky * in.paddedWidth() + kx) * in.stride();
        }
      }
    }

    /** Input index of channel 0 of the top-left pixel of an interior window. */
    int windowBase(int oy, int ox) {
      return in.index(oy * step - padding, ox * step - padding);
    }

    @Override
    int tiles() {
      return out.height();
    }

    @Override
    long flops() {
      return (long) out.height() * out.width() * out.stride() * kernel * kernel;
    }

    /** Whether the window of every output pixel in row oy and column ox lies inside the input. */
    boolean interior(int oy, int ox) {
      int y = oy * step - padding;
      int x = ox * step - padding;
      return y >= 0 && x >= 0 && y + kernel <= in.height() && x + kernel <= in.width();
    }

    @Override
    void run(float[] src, float[] dst, int from, int to) {
      kernels.pool(this, src, dst, from, to);
    }

    /** Pools one output pixel with plain loops, bounds-checked (any window). */
    void pixel(float[] src, float[] dst, int oy, int ox) {
      int c = in.stride();
      int o = out.index(oy, ox);
      float init = max ? Float.NEGATIVE_INFINITY : 0f;
      for (int ch = 0; ch < c; ch++) {
        dst[o + ch] = init;
      }
      for (int ky = 0; ky < kernel; ky++) {
        int iy = oy * step - padding + ky;
        if (iy < 0 || iy >= in.height()) {
          continue;
        }
        for (int kx = 0; kx < kernel; kx++) {
          int ix = ox * step - padding + kx;
          if (ix < 0 || ix >= in.width()) {
            continue;
          }
          int i = in.index(iy, ix);
          if (max) {
            for (int ch = 0; ch < c; ch++) {
              float v = src[i + ch];
              dst[o + ch] = v > dst[o + ch] ? v : dst[o + ch];
            }
          } else {
            for (int ch = 0; ch < c; ch++) {
              dst[o + ch] += src[i + ch];
            }
          }
        }
      }
      if (!max) {
        float scale = 1f / (kernel * kernel);
        for (int ch = 0; ch < c; ch++) {
          dst[o + ch] *= scale;
        }
      }
    }

    @Override
    public String toString() {
      return (max ? "maxpool" : "avgpool") + kernel + "/" + step + " " + in + " -> " + out;
    }
  }

  /**
   * Per-channel {@code x * scale + shift} (a batch-norm that does not follow a convolution), then an
   * activation; also a bare activation with scale 1 and shift 0.
   */
  static final class Affine extends MapOp {
    final float[] scale;
    final float[] shift;
    final Activation activation;

    Affine(Geom in, Geom out, float[] scale, float[] shift, Activation activation) {
      super(in, out);
      this.scale = scale;
      this.shift = shift;
      this.activation = activation;
    }

    @Override
    int tiles() {
      return out.height();
    }

    @Override
    long flops() {
      return 2L * out.height() * out.width() * out.channels();
    }

    @Override
    void run(float[] src, float[] dst, int from, int to) {
      int c = in.channels();
      for (int y = from; y < to; y++) {
        for (int x = 0; x < out.width(); x++) {
          int i = in.index(y, x);
          int o = out.index(y, x);
          for (int ch = 0; ch < c; ch++) {
            dst[o + ch] = activation.apply(src[i + ch] * scale[ch] + shift[ch]);
          }
        }
      }
    }

    @Override
    public String toString() {
      return "affine " + in + " -> " + out + " +" + activation;
    }
  }
}
