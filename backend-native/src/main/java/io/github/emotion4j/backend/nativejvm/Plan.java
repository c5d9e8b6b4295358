package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * A model package compiled for the native kernels: per-image ops on feature maps, the step that
 * turns each image's map into a row of the batch matrix, then ops on that matrix. Batch-norm is
 * folded into the convolution or dense layer before it, activations are fused into the op before
 * them, and dropout is dropped. Immutable; thread-safe.
 */
final class Plan {
  final FeatureShape inputShape;
  /** Where the input image lies: value 0 of an image's buffers. */
  final Geom input;
  /** Map ops; op {@code k} reads value {@code k} and writes value {@code k + 1}. */
  final MapOp[] maps;
  /** The geometry of each map value, input first. */
  final Geom[] values;
  final ToVector toVector;
  final VecOp[] vecs;
  /** For each vec op, the matrix it reads. */
  final int[] vecSrc;
  /** For each vec op, the matrix it writes. */
  final int[] vecDst;
  /** Row stride of each matrix; matrix 0 holds the flattened features. */
  final int[] matrixStrides;
  final int labels;
  final Kernels kernels;

  private Plan(FeatureShape inputShape, Geom[] values, MapOp[] maps, ToVector toVector,
      List<VecOp> vecs, List<Integer> vecSrc, List<Integer> vecDst, List<Integer> strides,
      int labels, Kernels kernels) {
    this.inputShape = inputShape;
    this.input = values[0];
    this.values = values;
    this.maps = maps;
    this.toVector = toVector;
    this.vecs = vecs.toArray(new VecOp[0]);
    this.vecSrc = vecSrc.stream().mapToInt(Integer::intValue).toArray();
    this.vecDst = vecDst.stream().mapToInt(Integer::intValue).toArray();
    this.matrixStrides = strides.stream().mapToInt(Integer::intValue).toArray();
    this.labels = labels;
    this.kernels = kernels;
  }

  /** The matrix holding the logits. */
  int logitsMatrix() {
    return vecDst.length == 0 ? 0 : vecDst[vecDst.length - 1];
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (MapOp op : maps) {
      b.append(op).append("; ");
    }
    b.append(toVector);
    for (VecOp op : vecs) {
      b.append("; ").append(op);
    }
    return b.toString();
  }

  /** A map op waiting for the borders of its input and output to be known. */
  private interface PendingMap {
    /** Output channels, stored channels, rows, columns. */
    int[] outShape();

    /** The padding this op reads around its input (0 unless a convolution). */
    int inputPadding();

    MapOp build(Geom in, Geom out);
  }

  /**
   * Compiles a model package.
   *
   * @throws ModelPackageException if a layer cannot run here, or the network is too large
   */
  static Plan compile(ModelPackage model, Kernels kernels) {
    List<LayerSpec> layers = model.layers();
    List<FeatureShape> shapes = model.summary().shapes();
    String name = model.metadata().name();
    int block = kernels.block();

    List<PendingMap> pending = new ArrayList<>();
    FeatureShape in0 = shapes.get(0);
    int[] cur = {in0.channels(), in0.channels(), in0.height(), in0.width()};
    ToVector.Kind toVector = null;
    int i = 0;
    while (i < layers.size() && toVector == null) {
      LayerSpec layer = layers.get(i);
      FeatureShape inShape = shapes.get(i);
      FeatureShape outShape = shapes.get(i + 1);
      int index = i;
      int next = skipDropout(layers, i + 1);
      if (layer instanceof LayerSpec.Dropout) {
        i = next;
      } else if (layer instanceof LayerSpec.Conv2d c) {
        float[][] wb = {weight(model, i), c.bias() ? tensor(model, i, "bias") : new float[c.filters()]};
        if (next < layers.size() && layers.get(next) instanceof LayerSpec.BatchNorm bn) {
          foldBatchNorm(model, next, bn, wb[0], wb[1], c.filters());
          next = skipDropout(layers, next + 1);
        }
        Activation act = activation(layers, next);
        if (act != Activation.IDENTITY) {
          next = skipDropout(layers, next + 1);
        }
        int cin = inShape.channels();
        int[] out = {c.filters(), VecOp.roundUp(c.filters(), block), outShape.height(), outShape.width()};
        checkSize(name, index, (long) out[1] * cin * c.kernel() * c.kernel());
        pending.add(pending(out, c.padding(), (g, o) -> MapOp.Winograd.applies(kernels, g, o,
                c.kernel(), c.stride())
            ? new MapOp.Winograd(kernels, g, o, wb[0], wb[1], act)
            : new MapOp.Conv(kernels, g, o, c.kernel(), c.stride(),
                packConv(wb[0], c.filters(), cin, c.kernel(), out[1], block),
                java.util.Arrays.copyOf(wb[1], out[1]), act)));
        cur = out;
        i = next;
      } else if (layer instanceof LayerSpec.BatchNorm bn) {
        float[][] ss = affine(model, i, bn, inShape.channels());
        Activation act = activation(layers, next);
        if (act != Activation.IDENTITY) {
          next = skipDropout(layers, next + 1);
        }
        pending.add(pending(cur.clone(), 0, (g, o) -> new MapOp.Affine(g, o, ss[0], ss[1], act)));
        i = next;
      } else if (layer instanceof LayerSpec.Relu || layer instanceof LayerSpec.LeakyRelu) {
        Activation act = activation(layers, i);
        float[][] ss = identity(inShape.channels());
        pending.add(pending(cur.clone(), 0, (g, o) -> new MapOp.Affine(g, o, ss[0], ss[1], act)));
        i = next;
      } else if (layer instanceof LayerSpec.MaxPool p) {
        int[] out = {cur[0], cur[1], outShape.height(), outShape.width()};
        pending.add(pending(out, 0,
            (g, o) -> new MapOp.Pool(kernels, g, o, true, p.kernel(), p.stride(), p.padding())));
        cur = out;
        i = next;
      } else if (layer instanceof LayerSpec.AvgPool p) {
        int[] out = {cur[0], cur[1], outShape.height(), outShape.width()};
        pending.add(pending(out, 0,
            (g, o) -> new MapOp.Pool(kernels, g, o, false, p.kernel(), p.stride(), p.padding())));
        cur = out;
        i = next;
      } else if (layer instanceof LayerSpec.Flatten) {
        toVector = ToVector.Kind.FLATTEN;
        i = next;
      } else if (layer instanceof LayerSpec.GlobalAvgPool) {
        toVector = ToVector.Kind.AVERAGE;
        i = next;
      } else {
        throw unsupported(name, i, layer, "on the feature map " + inShape);
      }
    }
    if (toVector == null) {
      throw new ModelPackageException("Model \"" + name + "\": the network never turns its feature"
          + " map into a vector; add a flatten or global_avgpool layer");
    }

    // Borders: a value read by a convolution carries that convolution's padding as zeros.
    Geom[] values = new Geom[pending.size() + 1];
    int[] shape = {in0.channels(), in0.channels(), in0.height(), in0.width()};
    for (int v = 0; v <= pending.size(); v++) {
      int border = v < pending.size() ? pending.get(v).inputPadding() : 0;
      values[v] = new Geom(shape[0], shape[1], shape[2], shape[3], border);
      values[v].size(); // checks it fits an array
      if (v < pending.size()) {
        shape = pending.get(v).outShape();
      }
    }
    MapOp[] maps = new MapOp[pending.size()];
    for (int k = 0; k < maps.length; k++) {
      maps[k] = pending.get(k).build(values[k], values[k + 1]);
    }
    ToVector flat = new ToVector(values[values.length - 1], toVector == ToVector.Kind.AVERAGE);

    List<VecOp> vecs = new ArrayList<>();
    List<Integer> src = new ArrayList<>();
    List<Integer> dst = new ArrayList<>();
    List<Integer> strides = new ArrayList<>();
    strides.add(flat.features);
    int features = flat.features;
    int matrix = 0;
    while (i < layers.size()) {
      LayerSpec layer = layers.get(i);
      int next = skipDropout(layers, i + 1);
      int stride = strides.get(matrix);
      if (layer instanceof LayerSpec.Dropout || layer instanceof LayerSpec.Flatten) {
        i = next;
        continue;
      }
      VecOp op;
      if (layer instanceof LayerSpec.Dense d) {
        float[] w = weight(model, i);
        float[] b = d.bias() ? tensor(model, i, "bias") : new float[d.units()];
        if (next < layers.size() && layers.get(next) instanceof LayerSpec.BatchNorm bn) {
          foldBatchNorm(model, next, bn, w, b, d.units());
          next = skipDropout(layers, next + 1);
        }
        Activation act = activation(layers, next);
        if (act != Activation.IDENTITY) {
          next = skipDropout(layers, next + 1);
        }
        int outStride = VecOp.roundUp(d.units(), block);
        checkSize(name, i, (long) outStride * features);
        op = new VecOp.Dense(kernels, features, stride, d.units(),
            packDense(w, d.units(), features, outStride, block),
            java.util.Arrays.copyOf(b, outStride), act);
        features = d.units();
      } else if (layer instanceof LayerSpec.BatchNorm bn) {
        float[][] ss = affine(model, i, bn, features);
        Activation act = activation(layers, next);
        if (act != Activation.IDENTITY) {
          next = skipDropout(layers, next + 1);
        }
        op = new VecOp.Affine(features, stride, ss[0], ss[1], act);
      } else if (layer instanceof LayerSpec.Relu || layer instanceof LayerSpec.LeakyRelu) {
        float[][] ss = identity(features);
        op = new VecOp.Affine(features, stride, ss[0], ss[1], activation(layers, i));
      } else {
        throw unsupported(name, i, layer, "on the vector [" + features + "]");
      }
      src.add(matrix);
      if (!op.inPlace()) {
        strides.add(op.outStride);
        matrix = strides.size() - 1;
      }
      dst.add(matrix);
      vecs.add(op);
      i = next;
    }
    int labels = model.labels().size();
    if (features != labels) { // NetworkSummary already checks this; kept as a guard
      throw new ModelPackageException("Model \"" + name + "\" ends in " + features
          + " features but has " + labels + " labels");
    }
    return new Plan(shapes.get(0), values, maps, flat, vecs, src, dst, strides, labels, kernels);
  }

  private static PendingMap pending(int[] out, int padding,
      java.util.function.BiFunction<Geom, Geom, MapOp> factory) {
    return new PendingMap() {
      @Override
      public int[] outShape() {
        return out;
      }

      @Override
      public int inputPadding() {
        return padding;
      }

      @Override
      public MapOp build(Geom in, Geom o) {
        return factory.apply(in, o);
      }
    };
  }

  private static int skipDropout(List<LayerSpec> layers, int i) {
    while (i < layers.size() && layers.get(i) instanceof LayerSpec.Dropout) {
      i++;
    }
    return i;
  }

  /** The activation at index i, or the identity if the layer there is none. */
  private static Activation activation(List<LayerSpec> layers, int i) {
    if (i < layers.size()) {
      LayerSpec l = layers.get(i);
      if (l instanceof LayerSpec.Relu) {
        return new Activation(Activation.RELU, 0f);
      }
      if (l instanceof LayerSpec.LeakyRelu lr) {
        return new Activation(Activation.LEAKY, (float) lr.slope());
      }
    }
    return Activation.IDENTITY;
  }

  private static float[] tensor(ModelPackage model, int layer, String suffix) {
    return model.tensor(NetworkSummary.tensorName(layer, suffix)).data();
  }

  private static float[] weight(ModelPackage model, int layer) {
    return tensor(model, layer, "weight");
  }

  /** Per-channel scale and shift of a batch-norm, computed in double. */
  private static double[][] batchNorm(ModelPackage model, int layer, LayerSpec.BatchNorm bn, int n) {
    float[] g = tensor(model, layer, "weight");
    float[] b = tensor(model, layer, "bias");
    float[] mean = tensor(model, layer, "running_mean");
    float[] var = tensor(model, layer, "running_var");
    double[][] ss = new double[2][n];
    for (int c = 0; c < n; c++) {
      double s = g[c] / Math.sqrt(var[c] + bn.epsilon());
      ss[0][c] = s;
      ss[1][c] = b[c] - mean[c] * s;
    }
    return ss;
  }

  /** Folds a batch-norm into the weights ([out][...]) and bias of the layer before it. */
  private static void foldBatchNorm(ModelPackage model, int layer, LayerSpec.BatchNorm bn,
      float[] w, float[] bias, int outputs) {
    double[][] ss = batchNorm(model, layer, bn, outputs);
    int per = w.length / outputs;
    for (int o = 0; o < outputs; o++) {
      double s = ss[0][o];
      for (int j = 0; j < per; j++) {
        w[o * per + j] = (float) (w[o * per + j] * s);
      }
      bias[o] = (float) (bias[o] * s + ss[1][o]);
    }
  }

  private static float[][] affine(ModelPackage model, int layer, LayerSpec.BatchNorm bn, int n) {
    double[][] ss = batchNorm(model, layer, bn, n);
    float[][] f = new float[2][n];
    for (int c = 0; c < n; c++) {
      f[0][c] = (float) ss[0][c];
      f[1][c] = (float) ss[1][c];
    }
    return f;
  }

  private static float[][] identity(int n) {
    float[][] f = new float[2][n];
    java.util.Arrays.fill(f[0], 1f);
    return f;
  }

  /** PyTorch's [out][in][ky][kx] as [block][ky][kx][in][block width], zeros past {@code out}. */
  static float[] packConv(float[] w, int out, int in, int k, int outPadded, int block) {
    float[] p = new float[outPadded * in * k * k];
    for (int o = 0; o < out; o++) {
      int blk = o / block;
      int lane = o - blk * block;
      for (int c = 0; c < in; c++) {
        for (int ky = 0; ky < k; ky++) {
          for (int kx = 0; kx < k; kx++) {
            p[(((blk * k + ky) * k + kx) * in + c) * block + lane] = w[((o * in + c) * k + ky) * k + kx];
          }
        }
      }
    }
    return p;
  }

  /** PyTorch's [out][in] as [block][in][block width], zeros past {@code out}. */
  static float[] packDense(float[] w, int out, int in, int outPadded, int block) {
    float[] p = new float[outPadded * in];
    for (int o = 0; o < out; o++) {
      int blk = o / block;
      int lane = o - blk * block;
      for (int k = 0; k < in; k++) {
        p[(blk * in + k) * block + lane] = w[o * in + k];
      }
    }
    return p;
  }

  private static void checkSize(String model, int layer, long floats) {
    if (floats > Integer.MAX_VALUE - 64) {
      throw new ModelPackageException("Model \"" + model + "\": layer " + layer + " needs " + floats
          + " weights, more than the native backend can hold in one array");
    }
  }

  private static ModelPackageException unsupported(String model, int i, LayerSpec layer, String where) {
    return new ModelPackageException("Model \"" + model + "\": layer " + i + " (" + layer.type()
        + ") cannot run " + where + " in the native backend. Supported: conv2d, batchnorm, relu,"
        + " leaky_relu, maxpool, avgpool on feature maps; flatten or global_avgpool to a vector;"
        + " dense, batchnorm, relu, leaky_relu, dropout on vectors");
  }
}
