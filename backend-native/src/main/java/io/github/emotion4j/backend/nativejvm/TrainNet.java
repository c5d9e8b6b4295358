package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.NetworkSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer list built for training on the native kernels: forward passes over a batch that keep
 * every activation, and a backward pass that leaves each trainable tensor's gradient in its {@link
 * Param}. Flatten costs nothing (the dense layer after it reads the map as it lies) and dropout is
 * the identity outside training. Buffers are allocated for the largest batch seen and reused, so a
 * step allocates no arrays. Not thread-safe; each pass spreads over the cores.
 */
final class TrainNet {
  final TrainContext ctx;
  final List<TrainLayer> layers;
  final List<Param> params;
  /** Each activation's geometry; value 0 is the input, value k + 1 is layer k's output. */
  final Geom[] values;
  /** Whether layer k must compute the gradient of its input: some earlier layer trains. */
  private final boolean[] needInputGrad;
  final int labels;
  private float[][] acts = new float[0][];
  private float[] grad0 = new float[0];
  private float[] grad1 = new float[0];
  private float[] lossGrad = grad0;
  private int capacity;

  private TrainNet(TrainContext ctx, List<TrainLayer> layers, Geom[] values, int labels) {
    this.ctx = ctx;
    this.layers = List.copyOf(layers);
    this.values = values;
    this.labels = labels;
    List<Param> ps = new ArrayList<>();
    this.needInputGrad = new boolean[layers.size()];
    boolean trains = false;
    for (int k = 0; k < layers.size(); k++) {
      needInputGrad[k] = trains;
      for (Param p : layers.get(k).params()) {
        ps.add(p);
        trains |= p.trainable();
      }
    }
    this.params = List.copyOf(ps);
  }

  /**
   * Builds the network for an input and its labels.
   *
   * @throws ModelPackageException if a layer cannot be trained here
   */
  static TrainNet build(List<LayerSpec> specs, InputContract input, int labels, TrainKernels gemm) {
    List<FeatureShape> shapes = NetworkSummary.of(input, specs, labels).shapes();
    FeatureShape s0 = shapes.get(0);
    List<Geom> values = new ArrayList<>();
    Geom cur = new Geom(s0.channels(), s0.channels(), s0.height(), s0.width(), 0);
    values.add(cur);
    List<TrainLayer> layers = new ArrayList<>();
    boolean flattened = false;
    for (int i = 0; i < specs.size(); i++) {
      LayerSpec spec = specs.get(i);
      FeatureShape o = shapes.get(i + 1);
      TrainLayer layer;
      if (spec instanceof LayerSpec.Flatten) {
        flattened = true; // the next dense layer reads the map in place
        continue;
      } else if (spec instanceof LayerSpec.Conv2d c) {
        layer = new TrainLayer.Conv(i, cur, TrainLayer.geom(o.channels(), o.height(), o.width()),
            c.kernel(), c.stride(), c.padding(), c.bias());
      } else if (spec instanceof LayerSpec.Dense d) {
        layer = new TrainLayer.Dense(i, cur, TrainLayer.geom(d.units(), 1, 1), d.bias());
      } else if (spec instanceof LayerSpec.BatchNorm b) {
        if (flattened && cur.height() * cur.width() > 1) {
          throw new ModelPackageException("The native trainer cannot train layer " + i
              + " (batchnorm) right after a flatten of a " + cur.height() + "x" + cur.width()
              + " map; put it before the flatten or after a dense layer");
        }
        float slope = i + 1 < specs.size() ? slope(specs.get(i + 1)) : Float.NaN;
        if (slope >= 0) {
          i++; // the activation runs inside the batch-norm
        } else {
          slope = Float.NaN;
        }
        layer = new TrainLayer.BatchNorm(i - (Float.isNaN(slope) ? 0 : 1), cur, b.epsilon(), slope);
      } else if (spec instanceof LayerSpec.Relu || spec instanceof LayerSpec.LeakyRelu) {
        layer = new TrainLayer.Act(i, cur, slope(spec));
      } else if (spec instanceof LayerSpec.Dropout d) {
        layer = new TrainLayer.Dropout(i, cur, d.rate());
      } else if (spec instanceof LayerSpec.MaxPool p) {
        layer = new TrainLayer.Pool(i, cur, o.height(), o.width(), true, p.kernel(), p.stride(),
            p.padding());
      } else if (spec instanceof LayerSpec.AvgPool p) {
        layer = new TrainLayer.Pool(i, cur, o.height(), o.width(), false, p.kernel(), p.stride(),
            p.padding());
      } else if (spec instanceof LayerSpec.GlobalAvgPool) {
        layer = new TrainLayer.GlobalAvg(i, cur);
        flattened = true;
      } else {
        throw new ModelPackageException("The native trainer cannot train layer " + i + " ("
            + spec.type() + ")");
      }
      if (spec instanceof LayerSpec.Dense) {
        flattened = true;
      }
      layers.add(layer);
      cur = layer.out;
      values.add(cur);
    }
    if (cur.channels() != labels || cur.height() * cur.width() != 1) {
      throw new ModelPackageException("The network ends in " + cur.channels() + "x" + cur.height()
          + "x" + cur.width() + " values, not one per label (" + labels + ")");
    }
    return new TrainNet(new TrainContext(gemm), layers, values.toArray(new Geom[0]), labels);
  }

  /** The negative slope of an activation layer, or NaN for any other layer. */
  private static float slope(LayerSpec spec) {
    if (spec instanceof LayerSpec.Relu) {
      return 0f;
    }
    return spec instanceof LayerSpec.LeakyRelu l ? (float) l.slope() : Float.NaN;
  }

  /** The row stride of the logits (and of their gradient). */
  int logitsStride() {
    return values[values.length - 1].stride();
  }

  /** Grows the buffers to hold n images. */
  private void ensure(int n) {
    if (n <= capacity) {
      return;
    }
    acts = new float[values.length][];
    long grad = 0;
    for (int v = 0; v < values.length; v++) {
      long size = (long) values[v].size() * n;
      if (size > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("a batch of " + n + " images is too large; split it");
      }
      acts[v] = new float[(int) size];
      if (v > 0) {
        grad = Math.max(grad, size);
      }
    }
    grad0 = new float[(int) grad];
    grad1 = new float[(int) grad];
    capacity = n;
  }

  /** Called after the weights changed. */
  void prepare() {
    for (TrainLayer l : layers) {
      l.prepare();
    }
  }

  /**
   * Runs the layers over a batch.
   *
   * @param nchw the images, NCHW
   * @param training training mode (batch statistics, dropout)
   * @param seed the dropout seed for this step
   * @return the logits, {@link #logitsStride()} floats per image (valid until the next pass)
   */
  float[] forward(float[] nchw, int n, boolean training, long seed) {
    ensure(n);
    ctx.training = training;
    ctx.seed = seed;
    Geom g = values[0];
    int c = g.channels();
    int plane = g.height() * g.width();
    float[] x = acts[0];
    if (c == 1) {
      System.arraycopy(nchw, 0, x, 0, n * plane);
    } else {
      for (int i = 0; i < n; i++) {
        for (int ch = 0; ch < c; ch++) {
          for (int p = 0; p < plane; p++) {
            x[(i * plane + p) * c + ch] = nchw[(i * c + ch) * plane + p];
          }
        }
      }
    }
    for (int k = 0; k < layers.size(); k++) {
      layers.get(k).forward(ctx, acts[k], acts[k + 1], n);
    }
    lossGrad = grad0;
    return acts[layers.size()];
  }

  /** Where the caller writes the loss's gradient of the logits before {@link #backward}. */
  float[] logitsGradient() {
    return lossGrad;
  }

  /** Backward pass over the last training forward pass of n images. */
  void backward(int n) {
    float[] dy = lossGrad;
    float[] other = dy == grad0 ? grad1 : grad0;
    for (int k = layers.size() - 1; k >= 0; k--) {
      float[] dx = needInputGrad[k] ? other : null;
      layers.get(k).backward(ctx, acts[k], acts[k + 1], dy, dx, n);
      if (dx == null) {
        break; // no earlier layer trains
      }
      other = dy;
      dy = dx;
    }
  }

  /** Prints the mean time of each layer's forward and backward pass (for probes, not the hot path). */
  void profile(float[] nchw, int n, int rounds) {
    long[] fwd = new long[layers.size()];
    long[] bwd = new long[layers.size()];
    for (int r = 0; r < rounds; r++) {
      forward(nchw, n, true, r);
      for (int k = 0; k < layers.size(); k++) {
        long t = System.nanoTime();
        layers.get(k).forward(ctx, acts[k], acts[k + 1], n);
        fwd[k] += System.nanoTime() - t;
      }
      float[] dy = lossGrad;
      float[] other = dy == grad0 ? grad1 : grad0;
      for (int k = layers.size() - 1; k >= 0; k--) {
        float[] dx = needInputGrad[k] ? other : null;
        long t = System.nanoTime();
        layers.get(k).backward(ctx, acts[k], acts[k + 1], dy, dx, n);
        bwd[k] += System.nanoTime() - t;
        if (dx == null) {
          break;
        }
        other = dy;
        dy = dx;
      }
    }
    for (int k = 0; k < layers.size(); k++) {
      TrainLayer l = layers.get(k);
      System.out.printf(java.util.Locale.ROOT, "%-10s %s -> %s: forward %.2f ms, backward %.2f ms%n",
          l.getClass().getSimpleName(), l.in, l.out, fwd[k] / 1e6 / rounds, bwd[k] / 1e6 / rounds);
    }
  }
}
