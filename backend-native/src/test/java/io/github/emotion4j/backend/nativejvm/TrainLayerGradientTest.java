package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every training layer's forward pass against a plain double-precision reference in PyTorch's NCHW
 * layout, and its backward pass (input and weight gradients) against central finite differences of
 * that reference, for the loss {@code Σ y·r} with a random {@code r}. Odd sizes, strides, paddings
 * and channel counts (3×3 stride-1 convolutions by Winograd, forward and input gradient; other
 * stride-1 input gradients as a convolution of the output gradient; other strides and unpadded
 * inputs by col2im); the layers with kernels on both kernel paths.
 */
class TrainLayerGradientTest {
  private static final double STEP = 1e-4;
  /** Largest error relative to the largest gradient of the tensor (float kernels vs double). */
  private static final double TOLERANCE = 1e-4;

  /** A reference layer: NCHW input and named tensors (PyTorch layouts) to NCHW output. */
  interface Reference {
    double[] apply(double[] x, Map<String, double[]> p);
  }

  static List<TrainKernels> paths() {
    return List.of(new TrainKernels.Plain(), TrainKernels.of(NativeBackend.kernels(NativeBackend.KernelChoice.VECTOR)));
  }

  static List<Arguments> convCases() {
    int[][] shapes = { // n, cin, h, w, cout, kernel, stride, padding, bias, input channels padded
        {2, 3, 7, 6, 5, 3, 1, 1, 1, 1}, {3, 1, 9, 8, 4, 3, 2, 1, 0, 1}, {2, 2, 6, 7, 3, 1, 1, 0, 1, 1},
        {2, 4, 8, 9, 33, 5, 2, 2, 1, 1}, {1, 3, 5, 5, 2, 2, 3, 0, 0, 1}, {2, 3, 6, 5, 4, 3, 1, 1, 1, 0},
        {2, 2, 7, 7, 3, 4, 1, 0, 0, 1}, {2, 2, 7, 8, 3, 3, 1, 0, 1, 1}, {1, 2, 5, 6, 35, 3, 1, 2, 0, 1}};
    return withPaths(shapes);
  }

  /** Every shape on every kernel path. */
  private static List<Arguments> withPaths(int[][] shapes) {
    List<Arguments> cases = new java.util.ArrayList<>();
    for (TrainKernels g : paths()) {
      for (int[] s : shapes) {
        cases.add(Arguments.of(g, s));
      }
    }
    return cases;
  }

  @ParameterizedTest
  @MethodSource("convCases")
  void convolution(TrainKernels gemm, int[] s) {
    int n = s[0];
    int cin = s[1];
    int h = s[2];
    int w = s[3];
    int cout = s[4];
    int k = s[5];
    int stride = s[6];
    int pad = s[7];
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    Geom in = s[9] == 1 ? TrainLayer.geom(cin, h, w) : new Geom(cin, cin, h, w, 0);
    TrainLayer layer = new TrainLayer.Conv(0, in, TrainLayer.geom(cout, oh, ow), k, stride, pad, s[8] == 1);
    check(gemm, layer, n, (x, p) -> {
      double[] wt = p.get("layers.0.weight");
      double[] b = p.get("layers.0.bias");
      double[] y = new double[n * cout * oh * ow];
      for (int i = 0; i < n; i++) {
        for (int o = 0; o < cout; o++) {
          for (int yy = 0; yy < oh; yy++) {
            for (int xx = 0; xx < ow; xx++) {
              double sum = b == null ? 0 : b[o];
              for (int c = 0; c < cin; c++) {
                for (int ky = 0; ky < k; ky++) {
                  for (int kx = 0; kx < k; kx++) {
                    int iy = yy * stride - pad + ky;
                    int ix = xx * stride - pad + kx;
                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                      sum += x[((i * cin + c) * h + iy) * w + ix] * wt[((o * cin + c) * k + ky) * k + kx];
                    }
                  }
                }
              }
              y[((i * cout + o) * oh + yy) * ow + xx] = sum;
            }
          }
        }
      }
      return y;
    });
  }

  static List<Arguments> denseCases() {
    int[][] shapes = {{7, 3, 2, 3, 5, 1}, {2, 40, 1, 1, 9, 0}, {13, 2, 3, 1, 33, 1}}; // n, c, h, w, units, bias
    return withPaths(shapes);
  }

  /** A dense layer, also straight after a flatten of a map (its columns in PyTorch's CHW order). */
  @ParameterizedTest
  @MethodSource("denseCases")
  void dense(TrainKernels gemm, int[] s) {
    int n = s[0];
    int features = s[1] * s[2] * s[3];
    int units = s[4];
    TrainLayer layer = new TrainLayer.Dense(0, TrainLayer.geom(s[1], s[2], s[3]), TrainLayer.geom(units, 1, 1),
        s[5] == 1);
    check(gemm, layer, n, (x, p) -> {
      double[] wt = p.get("layers.0.weight");
      double[] b = p.get("layers.0.bias");
      double[] y = new double[n * units];
      for (int i = 0; i < n; i++) {
        for (int u = 0; u < units; u++) {
          double sum = b == null ? 0 : b[u];
          for (int f = 0; f < features; f++) {
            sum += x[i * features + f] * wt[u * features + f];
          }
          y[i * units + u] = sum;
        }
      }
      return y;
    });
  }

  /**
   * Batch-norm in training mode, alone or with the activation after it fused in: the gradient flows
   * through the batch's mean and variance too.
   */
  @ParameterizedTest
  @ValueSource(strings = {"3,5,4,3,-1", "6,2,1,1,-1", "2,33,3,2,-1", "3,5,4,3,0", "2,33,3,2,0.2"})
  void batchNormTraining(String shape) {
    int[] s = java.util.Arrays.stream(shape.split(",")).limit(4).mapToInt(Integer::parseInt).toArray();
    int n = s[0];
    int c = s[1];
    int plane = s[2] * s[3];
    float slope = Float.parseFloat(shape.substring(shape.lastIndexOf(',') + 1));
    Geom g = TrainLayer.geom(c, s[2], s[3]);
    for (TrainKernels kernels : paths()) {
      check(kernels, new TrainLayer.BatchNorm(0, g, 1e-5, slope < 0 ? Float.NaN : slope), n,
          (x, p) -> batchNorm(x, p, n, c, plane, slope));
    }
  }

  private static double[] batchNorm(double[] x, Map<String, double[]> p, int n, int c, int plane, float slope) {
    double[] gamma = p.get("layers.0.weight");
    double[] beta = p.get("layers.0.bias");
    double[] y = new double[x.length];
    for (int ch = 0; ch < c; ch++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        for (int q = 0; q < plane; q++) {
          mean += x[(i * c + ch) * plane + q];
        }
      }
      mean /= n * plane;
      double var = 0;
      for (int i = 0; i < n; i++) {
        for (int q = 0; q < plane; q++) {
          double d = x[(i * c + ch) * plane + q] - mean;
          var += d * d;
        }
      }
      var /= n * plane;
      for (int i = 0; i < n; i++) {
        for (int q = 0; q < plane; q++) {
          int idx = (i * c + ch) * plane + q;
          double z = (x[idx] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch];
          y[idx] = slope < 0 || z > 0 ? z : slope * z;
        }
      }
    }
    return y;
  }

  /** Running averages after one training pass, and the inference mode that uses them. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void batchNormRunningStatisticsAndInference(int passes) {
    int n = 4;
    int c = 3;
    Geom g = TrainLayer.geom(c, 2, 2);
    TrainLayer.BatchNorm layer = new TrainLayer.BatchNorm(0, g, 1e-3, Float.NaN);
    SplittableRandom r = new SplittableRandom(5);
    float[] x = new float[n * g.size()];
    double[][] values = new double[c][n * 4];
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < 4; q++) {
        for (int ch = 0; ch < c; ch++) {
          float v = (float) (r.nextDouble() * 4 - 1 + ch);
          x[i * g.size() + q * g.stride() + ch] = v;
          values[ch][i * 4 + q] = v;
        }
      }
    }
    TrainContext ctx = new TrainContext(new TrainKernels.Plain());
    ctx.training = true;
    float[] y = new float[x.length];
    double[] runningMean = new double[c];
    double[] runningVar = {1, 1, 1};
    for (int pass = 0; pass < passes; pass++) {
      layer.forward(ctx, x, y, n);
      for (int ch = 0; ch < c; ch++) {
        double mean = java.util.Arrays.stream(values[ch]).average().orElseThrow();
        double ss = java.util.Arrays.stream(values[ch]).map(v -> (v - mean) * (v - mean)).sum();
        runningMean[ch] = 0.9 * runningMean[ch] + 0.1 * mean;
        runningVar[ch] = 0.9 * runningVar[ch] + 0.1 * ss / (values[ch].length - 1);
      }
    }
    for (int ch = 0; ch < c; ch++) {
      assertEquals(runningMean[ch], layer.mean.value[ch], 1e-5, "running mean " + ch);
      assertEquals(runningVar[ch], layer.var.value[ch], 1e-5, "running variance (unbiased) " + ch);
    }
    layer.gamma.value[1] = 2f;
    layer.beta.value[1] = -0.5f;
    ctx.training = false;
    layer.forward(ctx, x, y, n);
    for (int i = 0; i < n * 4; i++) {
      int idx = (i / 4) * g.size() + (i % 4) * g.stride() + 1;
      double expected = (x[idx] - runningMean[1]) / Math.sqrt(runningVar[1] + 1e-3) * 2 - 0.5;
      assertEquals(expected, y[idx], 1e-5, "inference-mode value " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, 0.1f})
  void reluAndLeakyRelu(float slope) {
    Geom g = TrainLayer.geom(3, 3, 5);
    for (TrainKernels kernels : paths()) {
      check(kernels, new TrainLayer.Act(0, g, slope), 2, (x, p) -> {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          y[i] = x[i] > 0 ? x[i] : slope * x[i];
        }
        return y;
      });
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"max,2,2,0", "max,3,2,1", "max,3,1,0", "avg,2,2,0", "avg,3,2,1", "avg,3,3,1"})
  void pooling(String spec) {
    String[] f = spec.split(",");
    boolean max = f[0].equals("max");
    int k = Integer.parseInt(f[1]);
    int stride = Integer.parseInt(f[2]);
    int pad = Integer.parseInt(f[3]);
    int n = 2;
    int c = 3;
    int h = 7;
    int w = 6;
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    for (TrainKernels kernels : paths()) {
      check(kernels, new TrainLayer.Pool(0, TrainLayer.geom(c, h, w), oh, ow, max, k, stride, pad), n,
          (x, p) -> pool(x, n, c, h, w, max, k, stride, pad));
    }
  }

  private static double[] pool(double[] x, int n, int c, int h, int w, boolean max, int k, int stride,
      int pad) {
    int oh = (h + 2 * pad - k) / stride + 1;
    int ow = (w + 2 * pad - k) / stride + 1;
    double[] y = new double[n * c * oh * ow];
    for (int i = 0; i < n * c; i++) {
      for (int yy = 0; yy < oh; yy++) {
        for (int xx = 0; xx < ow; xx++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int iy = yy * stride - pad + ky;
              int ix = xx * stride - pad + kx;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                double v = x[(i * h + iy) * w + ix];
                acc = max ? Math.max(acc, v) : acc + v;
              }
            }
          }
          y[(i * oh + yy) * ow + xx] = max ? acc : acc / (k * k);
        }
      }
    }
    return y;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void globalAveragePooling(int size) {
    int c = 4;
    TrainLayer layer = new TrainLayer.GlobalAvg(0, TrainLayer.geom(c, size, size + 1));
    int plane = size * (size + 1);
    check(new TrainKernels.Plain(), layer, 3, (x, p) -> {
      double[] y = new double[3 * c];
      for (int i = 0; i < 3 * c; i++) {
        for (int q = 0; q < plane; q++) {
          y[i] += x[i * plane + q] / plane;
        }
      }
      return y;
    });
  }

  /** Dropout keeps about 1 − rate of the values, scaled by 1 / (1 − rate), and passes gradients the same way. */
  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.3, 0.5})
  void dropout(double rate) {
    Geom g = TrainLayer.geom(50, 4, 5);
    TrainLayer layer = new TrainLayer.Dropout(3, g, rate);
    int n = 8;
    float[] x = new float[n * g.size()];
    float[] dy = new float[x.length];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = i % g.stride() < 50 ? (float) (r.nextDouble() + 0.5) : 0f;
      dy[i] = (float) r.nextDouble();
    }
    TrainContext ctx = new TrainContext(new TrainKernels.Plain());
    ctx.training = true;
    ctx.seed = 77;
    float[] y = new float[x.length];
    float[] dx = new float[x.length];
    layer.forward(ctx, x, y, n);
    layer.backward(ctx, x, y, dy, dx, n);
    int kept = 0;
    int total = 0;
    float scale = (float) (1 / (1 - rate));
    for (int i = 0; i < x.length; i++) {
      if (i % g.stride() >= 50) {
        continue;
      }
      total++;
      if (y[i] != 0) {
        kept++;
        assertEquals(x[i] * scale, y[i], 1e-6);
        assertEquals(dy[i] * scale, dx[i], 1e-6);
      } else {
        assertEquals(0f, dx[i]);
      }
    }
    assertEquals(1 - rate, kept / (double) total, 0.03, "share kept");
    float[] again = new float[x.length];
    layer.forward(ctx, x, again, n);
    assertTrue(java.util.Arrays.equals(y, again), "the same seed gives the same mask");
    ctx.training = false;
    layer.forward(ctx, x, again, n);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i], again[i], "identity outside training");
    }
  }

  // --- the check ---

  private static void check(TrainKernels gemm, TrainLayer layer, int n, Reference ref) {
    SplittableRandom random = new SplittableRandom(42 + layer.in.size());
    Geom in = layer.in;
    Geom out = layer.out;
    int inValues = in.channels() * in.height() * in.width();
    int outValues = out.channels() * out.height() * out.width();
    double[] x = new double[n * inValues];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    Map<String, double[]> p = new HashMap<>();
    for (Param param : layer.params()) {
      for (int i = 0; i < param.value.length; i++) {
        boolean scale = param.name.endsWith("weight") && layer instanceof TrainLayer.BatchNorm;
        param.value[i] = (float) (scale ? 0.5 + random.nextDouble() : random.nextDouble() - 0.5);
      }
      p.put(param.name, toDouble(param.value));
    }
    double[] r = new double[n * outValues];
    for (int i = 0; i < r.length; i++) {
      r[i] = random.nextDouble() * 2 - 1;
    }
    TrainContext ctx = new TrainContext(gemm);
    ctx.training = true;
    layer.prepare();
    float[] xs = toHwc(x, n, in);
    float[] ys = new float[n * out.size()];
    layer.forward(ctx, xs, ys, n);
    double[] expected = ref.apply(x, p);
    double[] actual = fromHwc(ys, n, out);
    assertClose(expected, actual, 1e-5, "forward output");

    float[] dx = new float[n * in.size()];
    java.util.Arrays.fill(dx, Float.NaN); // every real input value must be written
    layer.backward(ctx, xs, ys, toHwc(r, n, out), dx, n);
    double[] numeric = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      x[i] = v + STEP;
      double up = dot(ref.apply(x, p), r);
      x[i] = v - STEP;
      double down = dot(ref.apply(x, p), r);
      x[i] = v;
      numeric[i] = (up - down) / (2 * STEP);
    }
    assertClose(numeric, fromHwc(dx, n, in), TOLERANCE, "input gradient");
    for (Param param : layer.params()) {
      if (!param.trainable()) {
        continue;
      }
      double[] values = p.get(param.name);
      double[] grad = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        double v = values[i];
        values[i] = v + STEP;
        double up = dot(ref.apply(x, p), r);
        values[i] = v - STEP;
        double down = dot(ref.apply(x, p), r);
        values[i] = v;
        grad[i] = (up - down) / (2 * STEP);
      }
      assertClose(grad, toDouble(param.grad), TOLERANCE, param.name + " gradient");
    }
  }

  private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + " size");
    double scale = 1e-3;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance * scale, what + " [" + i + "]");
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static float[] toHwc(double[] nchw, int n, Geom g) {
    float[] out = new float[n * g.size()];
    int plane = g.height() * g.width();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < g.channels(); c++) {
        for (int q = 0; q < plane; q++) {
          out[i * g.size() + q * g.stride() + c] = (float) nchw[(i * g.channels() + c) * plane + q];
        }
      }
    }
    return out;
  }

  private static double[] fromHwc(float[] hwc, int n, Geom g) {
    int plane = g.height() * g.width();
    double[] out = new double[n * g.channels() * plane];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < g.channels(); c++) {
        for (int q = 0; q < plane; q++) {
          out[(i * g.channels() + c) * plane + q] = hwc[i * g.size() + q * g.stride() + c];
        }
      }
    }
    return out;
  }
}
