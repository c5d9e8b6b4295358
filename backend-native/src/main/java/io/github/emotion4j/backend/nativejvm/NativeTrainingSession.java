package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** One training run on the native kernels. Used from one thread. */
final class NativeTrainingSession implements TrainingSession {
  private final TrainingConfig config;
  private final TrainNet net;
  private final NativeOptimizer optimizer;
  private final float[] classWeights;
  private final int labels;
  private final int imageSize;
  private int steps;
  private boolean closed;

  NativeTrainingSession(TrainingConfig config, Kernels kernels, float[] classWeights,
      Map<String, Tensor> startWeights, Map<String, Tensor> optimizerState, int stepsDone) {
    this.config = config;
    this.labels = config.labels().size();
    if (classWeights.length != labels) {
      throw new IllegalArgumentException(
          classWeights.length + " class weights for " + labels + " labels");
    }
    this.classWeights = classWeights.clone();
    this.imageSize = config.input().imageSize();
    this.net = TrainNet.build(config.layers(), config.input(), labels, TrainKernels.of(kernels));
    this.optimizer = new NativeOptimizer(config, stepsDone);
    this.steps = stepsDone;
    if (startWeights != null) {
      setWeights(startWeights);
    } else {
      initialise(new SplittableRandom(config.seed()));
    }
    if (optimizerState != null) {
      optimizer.restore(net.params, optimizerState);
    }
    net.prepare();
  }

  /**
   * PyTorch's default for convolution and dense weights, U(−1/√fan-in, 1/√fan-in), as the PyTorch
   * trainer draws them; biases 0, batch-norm scale 1, shift 0, running mean 0, variance 1.
   */
  private void initialise(SplittableRandom random) {
    for (Param p : net.params) {
      if (p.shape.length > 1) {
        int fanIn = p.value.length / p.shape[0];
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < p.value.length; i++) {
          p.value[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
      }
    }
  }

  @Override
  public double trainStep(InputBatch batch, float[] targets, double learningRate, int[] predicted) {
    int n = check(batch);
    if (targets.length < n * labels) {
      throw new IllegalArgumentException("need " + n * labels + " targets, got " + targets.length);
    }
    float[] logits = net.forward(batch.data(), n, true, config.seed() * 31 + steps);
    int stride = net.logitsStride();
    float[] grad = net.logitsGradient();
    double weightSum = 0;
    double loss = 0;
    double[] p = new double[labels];
    for (int i = 0; i < n; i++) {
      double w = 0;
      double tsum = 0;
      for (int c = 0; c < labels; c++) {
        w += targets[i * labels + c] * (double) classWeights[c];
        tsum += targets[i * labels + c];
      }
      int o = i * stride;
      int best = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < labels; c++) {
        if (logits[o + c] > max) {
          max = logits[o + c];
          best = c;
        }
      }
      predicted[i] = best;
      double sum = 0;
      for (int c = 0; c < labels; c++) {
        p[c] = Math.exp(logits[o + c] - max);
        sum += p[c];
      }
      double logSum = Math.log(sum);
      double nll = 0;
      for (int c = 0; c < labels; c++) {
        nll -= targets[i * labels + c] * (logits[o + c] - max - logSum);
        p[c] /= sum;
      }
      loss += w * nll;
      weightSum += w;
      for (int c = 0; c < labels; c++) { // d(nll)/d(logit) = p·Σt − t; scaled by w / Σw below
        grad[o + c] = (float) (w * (p[c] * tsum - targets[i * labels + c]));
      }
    }
    if (!(weightSum > 0)) {
      throw new IllegalArgumentException("the batch's targets have zero total class weight");
    }
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < labels; c++) {
        grad[i * stride + c] = (float) (grad[i * stride + c] / weightSum);
      }
    }
    net.backward(n);
    optimizer.step(net.params, learningRate);
    net.prepare();
    steps++;
    return loss / weightSum;
  }

  @Override
  public float[] logits(InputBatch batch) {
    int n = check(batch);
    float[] out = new float[n * labels];
    int chunk = Math.max(1, config.batchSize());
    float[] data = batch.data();
    for (int from = 0; from < n; from += chunk) {
      int m = Math.min(chunk, n - from);
      float[] part = from == 0 && m == n ? data
          : Arrays.copyOfRange(data, from * imageSize, (from + m) * imageSize);
      float[] logits = net.forward(part, m, false, 0);
      int stride = net.logitsStride();
      for (int i = 0; i < m; i++) {
        System.arraycopy(logits, i * stride, out, (from + i) * labels, labels);
      }
    }
    return out;
  }

  private int check(InputBatch batch) {
    if (closed) {
      throw new IllegalStateException("This native training session was closed");
    }
    if (!batch.imageShape().equals(config.input().shape())) {
      throw new IllegalArgumentException(
          "The network takes images of " + config.input().shape() + ", got " + batch.imageShape());
    }
    return batch.size();
  }

  @Override
  public void setWeights(Map<String, Tensor> weights) {
    for (Param p : net.params) {
      Tensor t = weights.get(p.name);
      if (t == null) {
        throw new ModelPackageException("No tensor \"" + p.name + "\" for the native trainer; the"
            + " weights have " + weights.keySet());
      }
      if (!t.hasShape(p.shape)) {
        throw new ModelPackageException("Tensor \"" + p.name + "\" has shape "
            + Arrays.toString(t.shape()) + " but the native trainer expects " + Arrays.toString(p.shape));
      }
      System.arraycopy(t.data(), 0, p.value, 0, p.value.length);
    }
    net.prepare();
  }

  @Override
  public Map<String, Tensor> weights() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Param p : net.params) {
      out.put(p.name, new Tensor(p.shape, p.value.clone()));
    }
    return out;
  }

  @Override
  public Map<String, Tensor> optimizerState() {
    return optimizer.state();
  }

  @Override
  public String engine() {
    return "emotion4j native (" + net.ctx.kernels.name() + ")";
  }

  @Override
  public String engineVersion() {
    String v = NativeTrainingSession.class.getPackage().getImplementationVersion();
    return (v != null ? v : "dev") + " on Java " + Runtime.version();
  }

  /** Prints the mean time of each layer's forward and backward pass over a few steps (for probes). */
  void profile(InputBatch batch, int rounds) {
    net.profile(batch.data(), batch.size(), rounds);
  }

  @Override
  public void close() {
    closed = true;
  }
}
