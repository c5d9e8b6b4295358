package io.github.emotion4j.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layer of a network described as data. Input channels and features are not stored: they follow
 * from the previous layer's output, starting at the package's {@link InputContract}.
 *
 * <p>Weights of the layer at index {@code i} are named {@code layers.i.weight}, {@code
 * layers.i.bias}, and for batch-norm also {@code layers.i.running_mean} and {@code
 * layers.i.running_var}; layouts follow PyTorch (convolution weights {@code [out, in, k, k]}, dense
 * weights {@code [out, in]}).
 *
 * @since 0.1
 */
public sealed interface LayerSpec
    permits LayerSpec.Conv2d,
        LayerSpec.BatchNorm,
        LayerSpec.Relu,
        LayerSpec.LeakyRelu,
        LayerSpec.MaxPool,
        LayerSpec.AvgPool,
        LayerSpec.GlobalAvgPool,
        LayerSpec.Flatten,
        LayerSpec.Dense,
        LayerSpec.Dropout {

  /**
   * Returns the type name used in {@code emotion-model.json}, e.g. {@code "conv2d"}.
   *
   * @return the type name
   */
  String type();

  /**
   * Computes this layer's output shape.
   *
   * @param in the input shape
   * @return the output shape
   * @throws IllegalArgumentException if the layer cannot take that input
   */
  FeatureShape outputShape(FeatureShape in);

  /**
   * Returns the parameter tensors this layer needs, by suffix ({@code "weight"}, {@code "bias"},
   * ...), with their shapes.
   *
   * @param in the input shape
   * @return suffix to shape, in a stable order; empty for layers without parameters
   */
  default Map<String, int[]> parameterShapes(FeatureShape in) {
    return Map.of();
  }

  /**
   * Returns the floating-point operations for one image (a multiply-add counts as two).
   *
   * @param in the input shape
   * @return the FLOPs
   */
  default long flops(FeatureShape in) {
    return 0;
  }

  /**
   * A 2-D convolution over square windows.
   *
   * @param filters output channels
   * @param kernel window side
   * @param stride step between windows
   * @param padding zeros added on each side
   * @param bias whether a bias is added
   */
  record Conv2d(int filters, int kernel, int stride, int padding, boolean bias)
      implements LayerSpec {
    /** Validates the hyper-parameters. */
    public Conv2d {
      positive("conv2d filters", filters);
      positive("conv2d kernel", kernel);
      positive("conv2d stride", stride);
      nonNegative("conv2d padding", padding);
    }

    @Override
    public String type() {
      return "conv2d";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      requireMap(this, in);
      return FeatureShape.map(
          filters,
          windows("conv2d", in.height(), kernel, stride, padding),
          windows("conv2d", in.width(), kernel, stride, padding));
    }

    @Override
    public Map<String, int[]> parameterShapes(FeatureShape in) {
      Map<String, int[]> p = new LinkedHashMap<>();
      p.put("weight", new int[] {filters, in.channels(), kernel, kernel});
      if (bias) {
        p.put("bias", new int[] {filters});
      }
      return p;
    }

    @Override
    public long flops(FeatureShape in) {
      FeatureShape out = outputShape(in);
      return 2L * out.size() * in.channels() * kernel * kernel;
    }
  }

  /**
   * Batch normalisation with running statistics, over channels (feature maps) or features (vectors).
   *
   * @param epsilon added to the variance
   */
  record BatchNorm(double epsilon) implements LayerSpec {
    /** Validates epsilon. */
    public BatchNorm {
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException("batchnorm epsilon must be > 0, got " + epsilon);
      }
    }

    @Override
    public String type() {
      return "batchnorm";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      return in;
    }

    @Override
    public Map<String, int[]> parameterShapes(FeatureShape in) {
      Map<String, int[]> p = new LinkedHashMap<>();
      int c = in.channels();
      p.put("weight", new int[] {c});
      p.put("bias", new int[] {c});
      p.put("running_mean", new int[] {c});
      p.put("running_var", new int[] {c});
      return p;
    }

    @Override
    public long flops(FeatureShape in) {
      return 2L * in.size();
    }
  }

  /** max(x, 0). */
  record Relu() implements LayerSpec {
    @Override
    public String type() {
      return "relu";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      return in;
    }

    @Override
    public long flops(FeatureShape in) {
      return in.size();
    }
  }

  /**
   * x for x &gt; 0, else slope × x.
   *
   * @param slope the negative slope
   */
  record LeakyRelu(double slope) implements LayerSpec {
    @Override
    public String type() {
      return "leaky_relu";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      return in;
    }

    @Override
    public long flops(FeatureShape in) {
      return in.size();
    }
  }

  /**
   * Maximum over square windows; padding counts as minus infinity.
   *
   * @param kernel window side
   * @param stride step between windows
   * @param padding added on each side
   */
  record MaxPool(int kernel, int stride, int padding) implements LayerSpec {
    /** Validates the hyper-parameters. */
    public MaxPool {
      checkWindow("maxpool", kernel, stride, padding);
    }

    @Override
    public String type() {
      return "maxpool";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      return pooled(this, in, kernel, stride, padding);
    }

    @Override
    public long flops(FeatureShape in) {
      return outputShape(in).size() * kernel * kernel;
    }
  }

  /**
   * Mean over square windows; padded zeros are counted in the mean (PyTorch's default).
   *
   * @param kernel window side
   * @param stride step between windows
   * @param padding zeros added on each side
   */
  record AvgPool(int kernel, int stride, int padding) implements LayerSpec {
    /** Validates the hyper-parameters. */
    public AvgPool {
      checkWindow("avgpool", kernel, stride, padding);
    }

    @Override
    public String type() {
      return "avgpool";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      return pooled(this, in, kernel, stride, padding);
    }

    @Override
    public long flops(FeatureShape in) {
      return outputShape(in).size() * kernel * kernel;
    }
  }

  /** Mean over each whole feature map, giving a vector of channels. */
  record GlobalAvgPool() implements LayerSpec {
    @Override
    public String type() {
      return "global_avgpool";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      requireMap(this, in);
      return FeatureShape.vector(in.channels());
    }

    @Override
    public long flops(FeatureShape in) {
      return in.size();
    }
  }

  /** Turns a feature map into a vector, channel-major (the NCHW order). */
  record Flatten() implements LayerSpec {
    @Override
    public String type() {
      return "flatten";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      long n = in.size();
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("flatten of " + in + " is too large");
      }
      return FeatureShape.vector((int) n);
    }
  }

  /**
   * A fully connected layer.
   *
   * @param units output features
   * @param bias whether a bias is added
   */
  record Dense(int units, boolean bias) implements LayerSpec {
    /** Validates the size. */
    public Dense {
      positive("dense units", units);
    }

    @Override
    public String type() {
      return "dense";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      if (!in.flat()) {
        throw new IllegalArgumentException(
            "dense needs a flat input, got " + in + ": add a flatten or global_avgpool layer first");
      }
      return FeatureShape.vector(units);
    }

    @Override
    public Map<String, int[]> parameterShapes(FeatureShape in) {
      Map<String, int[]> p = new LinkedHashMap<>();
      p.put("weight", new int[] {units, in.channels()});
      if (bias) {
        p.put("bias", new int[] {units});
      }
      return p;
    }

    @Override
    public long flops(FeatureShape in) {
      return 2L * units * in.channels();
    }
  }

  /**
   * Dropout while training; the identity at inference.
   *
   * @param rate the fraction dropped while training, in [0, 1)
   */
  record Dropout(double rate) implements LayerSpec {
    /** Validates the rate. */
    public Dropout {
      if (!(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
      }
    }

    @Override
    public String type() {
      return "dropout";
    }

    @Override
    public FeatureShape outputShape(FeatureShape in) {
      return in;
    }
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
  }

  private static void nonNegative(String what, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + value);
    }
  }

  private static void checkWindow(String type, int kernel, int stride, int padding) {
    positive(type + " kernel", kernel);
    positive(type + " stride", stride);
    nonNegative(type + " padding", padding);
    if (padding * 2 > kernel) {
      throw new IllegalArgumentException(type + " padding must be at most half the kernel");
    }
  }

  private static FeatureShape pooled(LayerSpec layer, FeatureShape in, int kernel, int stride, int padding) {
    requireMap(layer, in);
    return FeatureShape.map(in.channels(),
        windows(layer.type(), in.height(), kernel, stride, padding),
        windows(layer.type(), in.width(), kernel, stride, padding));
  }

  private static void requireMap(LayerSpec layer, FeatureShape in) {
    if (in.flat()) {
      throw new IllegalArgumentException(layer.type() + " needs a feature map, got the vector " + in);
    }
  }

  /** Output length of a sliding window, PyTorch's floor formula. */
  private static int windows(String type, int size, int kernel, int stride, int padding) {
    int span = size + 2 * padding - kernel;
    if (span < 0) {
      throw new IllegalArgumentException(
          type + " window " + kernel + " is larger than its padded input " + (size + 2 * padding));
    }
    return span / stride + 1;
  }
}
