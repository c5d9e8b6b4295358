package io.github.emotion4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkSummary;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately naive forward pass in double precision, straight from the layer definitions: the
 * independent reference that every backend's logits are compared with.
 */
public final class ReferenceNetwork {
  private ReferenceNetwork() {}

  /**
   * Asserts a batch's logits match the reference's, image by image, within {@link
   * BackendContractTest#TOLERANCE} relative to the logit scale, and that the top-1 labels agree.
   *
   * @param model the package the logits came from
   * @param data the preprocessed batch, CHW per image
   * @param logits the backend's logits, one row per image
   * @param n the number of images
   */
  public static void assertMatches(ModelPackage model, float[] data, float[] logits, int n) {
    int size = model.input().imageSize();
    int labels = model.labels().size();
    for (int i = 0; i < n; i++) {
      double[] ref = logits(model, Arrays.copyOfRange(data, i * size, (i + 1) * size));
      double scale = 1;
      for (double r : ref) {
        scale = Math.max(scale, Math.abs(r));
      }
      int refTop = 0;
      int top = 0;
      for (int j = 0; j < labels; j++) {
        assertEquals(ref[j], logits[i * labels + j], BackendContractTest.TOLERANCE * scale,
            model.metadata().name() + " image " + i + " logit " + j);
        refTop = ref[j] > ref[refTop] ? j : refTop;
        top = logits[i * labels + j] > logits[i * labels + top] ? j : top;
      }
      assertEquals(refTop, top, "top-1 label of image " + i);
    }
  }

  /** Runs one image (CHW floats) through the package's network and returns its logits. */
  public static double[] logits(ModelPackage model, float[] image) {
    List<LayerSpec> layers = model.layers();
    NetworkSummary summary = model.summary();
    double[] x = new double[image.length];
    for (int i = 0; i < image.length; i++) {
      x[i] = image[i];
    }
    for (int li = 0; li < layers.size(); li++) {
      LayerSpec layer = layers.get(li);
      FeatureShape in = summary.shapes().get(li);
      FeatureShape out = summary.shapes().get(li + 1);
      x = forward(model, li, layer, in, out, x);
    }
    return x;
  }

  private static float[] w(ModelPackage m, int layer, String suffix) {
    return m.tensor(NetworkSummary.tensorName(layer, suffix)).data();
  }

  private static double[] forward(
      ModelPackage m, int li, LayerSpec layer, FeatureShape in, FeatureShape out, double[] x) {
    int c = in.channels(), h = in.height(), wd = in.width();
    int oc = out.channels(), oh = out.height(), ow = out.width();
    double[] y = new double[(int) out.size()];
    if (layer instanceof LayerSpec.Conv2d conv) {
      float[] wt = w(m, li, "weight");
      float[] b = conv.bias() ? w(m, li, "bias") : null;
      int k = conv.kernel();
      for (int o = 0; o < oc; o++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double acc = b == null ? 0 : b[o];
            for (int i = 0; i < c; i++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int iy = oy * conv.stride() - conv.padding() + ky;
                  int ix = ox * conv.stride() - conv.padding() + kx;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                    acc += wt[((o * c + i) * k + ky) * k + kx] * x[(i * h + iy) * wd + ix];
                  }
                }
              }
            }
            y[(o * oh + oy) * ow + ox] = acc;
          }
        }
      }
    } else if (layer instanceof LayerSpec.BatchNorm bn) {
      float[] g = w(m, li, "weight"), b = w(m, li, "bias");
      float[] mean = w(m, li, "running_mean"), var = w(m, li, "running_var");
      int plane = h * wd;
      for (int i = 0; i < y.length; i++) {
        int ch = i / plane;
        y[i] = (x[i] - mean[ch]) / Math.sqrt(var[ch] + bn.epsilon()) * g[ch] + b[ch];
      }
    } else if (layer instanceof LayerSpec.Relu) {
      for (int i = 0; i < y.length; i++) {
        y[i] = Math.max(0, x[i]);
      }
    } else if (layer instanceof LayerSpec.LeakyRelu lr) {
      for (int i = 0; i < y.length; i++) {
        y[i] = x[i] > 0 ? x[i] : lr.slope() * x[i];
      }
    } else if (layer instanceof LayerSpec.MaxPool p) {
      pool(x, y, c, h, wd, oh, ow, p.kernel(), p.stride(), p.padding(), true);
    } else if (layer instanceof LayerSpec.AvgPool p) {
      pool(x, y, c, h, wd, oh, ow, p.kernel(), p.stride(), p.padding(), false);
    } else if (layer instanceof LayerSpec.GlobalAvgPool) {
      int plane = h * wd;
      for (int ch = 0; ch < c; ch++) {
        double s = 0;
        for (int i = 0; i < plane; i++) {
          s += x[ch * plane + i];
        }
        y[ch] = s / plane;
      }
    } else if (layer instanceof LayerSpec.Flatten || layer instanceof LayerSpec.Dropout) {
      System.arraycopy(x, 0, y, 0, y.length);
    } else if (layer instanceof LayerSpec.Dense d) {
      float[] wt = w(m, li, "weight");
      float[] b = d.bias() ? w(m, li, "bias") : null;
      int n = in.channels();
      for (int o = 0; o < d.units(); o++) {
        double acc = b == null ? 0 : b[o];
        for (int i = 0; i < n; i++) {
          acc += wt[o * n + i] * x[i];
        }
        y[o] = acc;
      }
    } else {
      throw new IllegalArgumentException("no reference for " + layer);
    }
    return y;
  }

  private static void pool(double[] x, double[] y, int c, int h, int w, int oh, int ow,
      int k, int stride, int pad, boolean max) {
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          for (int ky = 0; ky < k; ky++) {
            for (int kx = 0; kx < k; kx++) {
              int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                double v = x[(ch * h + iy) * w + ix];
                acc = max ? Math.max(acc, v) : acc + v;
              }
            }
          }
          y[(ch * oh + oy) * ow + ox] = max ? acc : acc / (k * k);
        }
      }
    }
  }
}
