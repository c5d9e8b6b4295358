package io.github.emotion4j.backend.nativejvm;

/**
 * A 3×3, stride-1 convolution of one image by Winograd's F(2×2, 3×3) (Lavin and Gray, 2015), for
 * training: the forward pass, and the input gradient as the same kind of convolution of the output
 * gradient with the flipped kernel. The source is a copy of the map with a zero border (the
 * padding on the top and left, enough zeros on the bottom and right for whole 4×4 windows); groups
 * of 2×2 output tiles are transformed ({@code V = Bᵀ d B}), multiplied by the transformed weights
 * ({@code U = G g Gᵀ}) as 16 matrix products on the {@link TrainKernels}, and transformed back
 * ({@code Y = Aᵀ M A}). The transforms are plain loops over channels. Holds its transformed weights;
 * {@link #run} is thread-safe given separate scratch.
 */
final class TrainWinograd {
  /** Floats of a group's transformed inputs and products together: 64K (256 KB), in the L2 cache. */
  private static final int GROUP_FLOATS = 64 * 1024;
  final int inChannels;
  final int inStride;
  final int outChannels;
  final int outStride;
  final int outHeight;
  final int outWidth;
  final int border;
  final int tilesX;
  final int tiles;
  final int group;
  /** The bordered source: width and size in floats. */
  final int srcWidth;
  final int srcSize;
  /** Transformed weights: [16][inChannels][outStride]. */
  private final float[] u;
  private final int[] rows;
  private final int[] cols;

  /**
   * @param border zeros before the map's first row and column (the convolution's padding)
   */
  TrainWinograd(int inChannels, int inStride, int inHeight, int inWidth, int outChannels, int outStride,
      int outHeight, int outWidth, int border) {
    this.inChannels = inChannels;
    this.inStride = inStride;
    this.outChannels = outChannels;
    this.outStride = outStride;
    this.outHeight = outHeight;
    this.outWidth = outWidth;
    this.border = border;
    int tilesY = (outHeight + 1) / 2;
    this.tilesX = (outWidth + 1) / 2;
    this.tiles = tilesY * tilesX;
    int h = Math.max(inHeight + 2 * border, 2 * tilesY + 2);
    this.srcWidth = Math.max(inWidth + 2 * border, 2 * tilesX + 2);
    this.srcSize = Math.toIntExact((long) h * srcWidth * inStride);
    int fit = GROUP_FLOATS / (16 * (inStride + outStride)) / TrainKernels.ROWS * TrainKernels.ROWS;
    this.group = Math.min(tiles, Math.max(TrainKernels.ROWS, fit));
    this.u = new float[16 * inChannels * outStride];
    this.rows = TrainKernels.strided(group, inStride);
    this.cols = TrainKernels.strided(inChannels, 1);
  }

  /** Scratch for one thread: the bordered source, the transformed inputs, the products. */
  float[][] scratch() {
    return new float[][] {new float[srcSize], new float[16 * group * inStride],
        new float[16 * group * outStride]};
  }

  /** Copies one map into the interior of the scratch's bordered source (its border stays zero). */
  void load(float[] src, int offset, int height, int width, float[][] scratch) {
    int row = width * inStride;
    for (int y = 0; y < height; y++) {
      System.arraycopy(src, offset + y * row, scratch[0], ((y + border) * srcWidth + border) * inStride, row);
    }
  }

  /**
   * Sets the weights, transformed in double: {@code w[o][i][ky][kx]} as given (forward), or read as
   * {@code w[i][o][2−ky][2−kx]} ({@code flipped}: the input gradient's kernel).
   */
  void setWeights(float[] w, boolean flipped) {
    double[][] g = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    for (int o = 0; o < outChannels; o++) {
      for (int c = 0; c < inChannels; c++) {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            double sum = 0;
            for (int ky = 0; ky < 3; ky++) {
              for (int kx = 0; kx < 3; kx++) {
                float v = flipped ? w[((c * outChannels + o) * 3 + 2 - ky) * 3 + 2 - kx]
                    : w[((o * inChannels + c) * 3 + ky) * 3 + kx];
                sum += g[i][ky] * v * g[j][kx];
              }
            }
            u[((i * 4 + j) * inChannels + c) * outStride + o] = (float) sum;
          }
        }
      }
    }
  }

  /** Convolves the loaded source into {@code dst} (row-major, {@code outStride} floats a pixel) at an offset. */
  void run(TrainKernels kernels, float[][] scratch, float[] dst, int dstOff) {
    float[] src = scratch[0];
    float[] v = scratch[1];
    float[] m = scratch[2];
    for (int first = 0; first < tiles; first += group) {
      int count = Math.min(group, tiles - first);
      for (int t = 0; t < count; t++) {
        transformInput(src, first + t, v, t);
      }
      for (int pos = 0; pos < 16; pos++) {
        kernels.gemm(count, outStride, inChannels, v, pos * group * inStride, rows, cols, u,
            pos * inChannels * outStride, outStride, m, pos * group * outStride, outStride, false);
      }
      for (int t = 0; t < count; t++) {
        transformOutput(m, t, first + t, dst, dstOff);
      }
    }
  }

  /** V = Bᵀ d B for tile {@code tile}'s 4×4 window, every channel, into slot {@code slot}. */
  private void transformInput(float[] src, int tile, float[] v, int slot) {
    int ty = tile / tilesX;
    int tx = tile - ty * tilesX;
    int row = srcWidth * inStride;
    int b0 = (2 * ty * srcWidth + 2 * tx) * inStride;
    int b1 = b0 + row;
    int b2 = b1 + row;
    int b3 = b2 + row;
    int s = group * inStride; // between positions
    int o = slot * inStride;
    int cs = inStride;
    for (int c = 0; c < inChannels; c++) {
      // rows of Bᵀ d: r0 = d0 − d2, r1 = d1 + d2, r2 = d2 − d1, r3 = d1 − d3 (d_i: window row i)
      float d00 = src[b0 + c];
      float d01 = src[b0 + cs + c];
      float d02 = src[b0 + 2 * cs + c];
      float d03 = src[b0 + 3 * cs + c];
      float d10 = src[b1 + c];
      float d11 = src[b1 + cs + c];
      float d12 = src[b1 + 2 * cs + c];
      float d13 = src[b1 + 3 * cs + c];
      float d20 = src[b2 + c];
      float d21 = src[b2 + cs + c];
      float d22 = src[b2 + 2 * cs + c];
      float d23 = src[b2 + 3 * cs + c];
      float d30 = src[b3 + c];
      float d31 = src[b3 + cs + c];
      float d32 = src[b3 + 2 * cs + c];
      float d33 = src[b3 + 3 * cs + c];
      float r00 = d00 - d20;
      float r01 = d01 - d21;
      float r02 = d02 - d22;
      float r03 = d03 - d23;
      float r10 = d10 + d20;
      float r11 = d11 + d21;
      float r12 = d12 + d22;
      float r13 = d13 + d23;
      float r20 = d20 - d10;
      float r21 = d21 - d11;
      float r22 = d22 - d12;
      float r23 = d23 - d13;
      float r30 = d10 - d30;
      float r31 = d11 - d31;
      float r32 = d12 - d32;
      float r33 = d13 - d33;
      int q = o + c;
      v[q] = r00 - r02;
      v[q + s] = r01 + r02;
      v[q + 2 * s] = r02 - r01;
      v[q + 3 * s] = r01 - r03;
      v[q + 4 * s] = r10 - r12;
      v[q + 5 * s] = r11 + r12;
      v[q + 6 * s] = r12 - r11;
      v[q + 7 * s] = r11 - r13;
      v[q + 8 * s] = r20 - r22;
      v[q + 9 * s] = r21 + r22;
      v[q + 10 * s] = r22 - r21;
      v[q + 11 * s] = r21 - r23;
      v[q + 12 * s] = r30 - r32;
      v[q + 13 * s] = r31 + r32;
      v[q + 14 * s] = r32 - r31;
      v[q + 15 * s] = r31 - r33;
    }
  }

  /** The output index of channel 0 of tile {@code tile}'s top-left pixel, from a map at {@code offset}. */
  private int corner(int tile, int offset) {
    int ty = tile / tilesX;
    return offset + (2 * ty * outWidth + 2 * (tile - ty * tilesX)) * outStride;
  }

  /** Whether the tile's right column lies inside the output (not past an odd width). */
  private boolean right(int tile) {
    return 2 * (tile % tilesX) + 1 < outWidth;
  }

  /** Whether the tile's bottom row lies inside the output (not past an odd height). */
  private boolean down(int tile) {
    return 2 * (tile / tilesX) + 1 < outHeight;
  }

  /** Y = Aᵀ M A for the products in slot {@code slot}, written to tile {@code tile} of the output. */
  private void transformOutput(float[] m, int slot, int tile, float[] dst, int dstOff) {
    int s = group * outStride;
    int o = slot * outStride;
    boolean down = down(tile);
    boolean right = right(tile);
    int p00 = corner(tile, dstOff);
    int p01 = p00 + outStride;
    int p10 = p00 + outWidth * outStride;
    int p11 = p10 + outStride;
    for (int c = 0; c < outChannels; c++) {
      int q = o + c;
      // rows of Aᵀ M: t0 = m0 + m1 + m2, t1 = m1 − m2 − m3 (m_i: row i of the 4×4 products)
      float t00 = m[q] + m[q + 4 * s] + m[q + 8 * s];
      float t01 = m[q + s] + m[q + 5 * s] + m[q + 9 * s];
      float t02 = m[q + 2 * s] + m[q + 6 * s] + m[q + 10 * s];
      float t03 = m[q + 3 * s] + m[q + 7 * s] + m[q + 11 * s];
      float t10 = m[q + 4 * s] - m[q + 8 * s] - m[q + 12 * s];
      float t11 = m[q + 5 * s] - m[q + 9 * s] - m[q + 13 * s];
      float t12 = m[q + 6 * s] - m[q + 10 * s] - m[q + 14 * s];
      float t13 = m[q + 7 * s] - m[q + 11 * s] - m[q + 15 * s];
      dst[p00 + c] = t00 + t01 + t02;
      if (right) {
        dst[p01 + c] = t01 - t02 - t03;
      }
      if (down) {
        dst[p10 + c] = t10 + t11 + t12;
        if (right) {
          dst[p11 + c] = t11 - t12 - t13;
        }
      }
    }
  }

  /**
   * Adds the transformed weight gradient of one image to {@code du} ([16][inChannels][outStride]):
   * with the image's source loaded, {@code dU += Vᵀ · (A dy Aᵀ)} per position, dy being the output
   * gradient (row-major, {@code outStride} floats a pixel) at {@code dyOff}. {@link #weightGradient}
   * turns the sum into the kernel's gradient: the forward pass is linear in {@code U = G g Gᵀ}, so
   * this is the exact gradient of the convolution, with 2.25 times fewer products than directly.
   */
  void accumulateWeightGradient(TrainKernels kernels, float[][] scratch, float[] dy, int dyOff, float[] du) {
    float[] src = scratch[0];
    float[] v = scratch[1];
    float[] m = scratch[2];
    for (int first = 0; first < tiles; first += group) {
      int count = Math.min(group, tiles - first);
      for (int t = 0; t < count; t++) {
        transformInput(src, first + t, v, t);
        transformOutputGradient(dy, dyOff, first + t, m, t);
      }
      for (int pos = 0; pos < 16; pos++) {
        kernels.gemm(inChannels, outStride, count, v, pos * group * inStride, cols, rows, m,
            pos * group * outStride, outStride, du, pos * inChannels * outStride, outStride, true);
      }
    }
  }

  /** A dy Aᵀ (4×4) for tile {@code tile}'s 2×2 output gradient, zeros past the map, into slot {@code slot}. */
  private void transformOutputGradient(float[] dy, int dyOff, int tile, float[] m, int slot) {
    int s = group * outStride;
    int o = slot * outStride;
    boolean down = down(tile);
    boolean right = right(tile);
    int p00 = corner(tile, dyOff);
    int p01 = p00 + outStride;
    int p10 = p00 + outWidth * outStride;
    int p11 = p10 + outStride;
    for (int c = 0; c < outChannels; c++) {
      float g00 = dy[p00 + c];
      float g01 = right ? dy[p01 + c] : 0f;
      float g10 = down ? dy[p10 + c] : 0f;
      float g11 = down && right ? dy[p11 + c] : 0f;
      // rows of A g (A = [1 0; 1 1; 1 −1; 0 −1]), then the same on the columns
      float a0 = g00 + g01;
      float a1 = g00 - g01;
      float b0 = g10 + g11;
      float b1 = g10 - g11;
      int q = o + c;
      m[q] = g00;
      m[q + s] = a0;
      m[q + 2 * s] = a1;
      m[q + 3 * s] = -g01;
      m[q + 4 * s] = g00 + g10;
      m[q + 5 * s] = a0 + b0;
      m[q + 6 * s] = a1 + b1;
      m[q + 7 * s] = -g01 - g11;
      m[q + 8 * s] = g00 - g10;
      m[q + 9 * s] = a0 - b0;
      m[q + 10 * s] = a1 - b1;
      m[q + 11 * s] = g11 - g01;
      m[q + 12 * s] = -g10;
      m[q + 13 * s] = -b0;
      m[q + 14 * s] = -b1;
      m[q + 15 * s] = g11;
    }
  }

  /** The kernel's gradient {@code grad[o][i][ky][kx] = (Gᵀ dU G)[ky][kx]} from the summed {@code du}, in double. */
  void weightGradient(float[] du, float[] grad) {
    double[][] g = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    for (int o = 0; o < outChannels; o++) {
      for (int c = 0; c < inChannels; c++) {
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
              for (int j = 0; j < 4; j++) {
                sum += g[i][ky] * du[((i * 4 + j) * inChannels + c) * outStride + o] * g[j][kx];
              }
            }
            grad[((o * inChannels + c) * 3 + ky) * 3 + kx] = (float) sum;
          }
        }
      }
    }
  }
}
