package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.train.Augmentation;
import io.github.emotion4j.train.LabelledImages;
import io.github.emotion4j.train.Training;
import io.github.emotion4j.train.TrainingConfig;
import io.github.emotion4j.train.TrainingListener;
import io.github.emotion4j.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native trainer as a whole: the loss and its gradient, the optimisers, determinism, resuming
 * from saved state, learning a separable problem, and training through the api's facade.
 */
class NativeTrainingTest {
  private static final int SIZE = 12;
  private static final InputContract SMALL = new InputContract(1, SIZE, SIZE, List.of(0.0),
      List.of(1.0), InputContract.AREA);

  private static final LabelSet ABC = new LabelSet("abc", List.of("a", "b", "c"));

  /** A small conv net over every layer kind that a training run uses. */
  private static List<LayerSpec> smallNet(int labels) {
    return List.of(new LayerSpec.Conv2d(8, 3, 1, 1, false), new LayerSpec.BatchNorm(1e-5),
        new LayerSpec.Relu(), new LayerSpec.MaxPool(2, 2, 0), new LayerSpec.Conv2d(12, 3, 2, 1, true),
        new LayerSpec.LeakyRelu(0.1), new LayerSpec.AvgPool(3, 1, 1), new LayerSpec.Flatten(),
        new LayerSpec.Dropout(0.2), new LayerSpec.Dense(16, true), new LayerSpec.Relu(),
        new LayerSpec.Dense(labels, true));
  }

  private static TrainingConfig.Builder config(List<LayerSpec> layers, LabelSet labels) {
    return TrainingConfig.builder(layers).labels(labels).input(SMALL).batchSize(24)
        .optimizer(TrainingConfig.Optimizer.ADAMW, 1e-2).seed(7);
  }

  /** Three classes told apart by where a bright bar lies; noise everywhere. */
  private static float[] images(int n, int[] labels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] data = new float[n * SIZE * SIZE];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int p = 0; p < SIZE * SIZE; p++) {
        data[i * SIZE * SIZE + p] = (float) (r.nextGaussian() * 0.3);
      }
      int row = 1 + labels[i] * 4 + r.nextInt(2);
      for (int x = 1 + r.nextInt(3); x < SIZE - 1 - r.nextInt(3); x++) {
        data[i * SIZE * SIZE + row * SIZE + x] += 1.5f;
      }
    }
    return data;
  }

  private static float[] oneHot(int[] labels, int n, int classes) {
    float[] t = new float[n * classes];
    for (int i = 0; i < n; i++) {
      t[i * classes + labels[i]] = 1;
    }
    return t;
  }

  private static TrainingSession start(TrainingConfig config, NativeBackend.KernelChoice kernels) {
    return new NativeTrainer(kernels).start(config, ones(config.labels().size()), null, null, 0);
  }

  private static float[] ones(int n) {
    float[] w = new float[n];
    java.util.Arrays.fill(w, 1f);
    return w;
  }

  @ParameterizedTest
  @EnumSource(value = NativeBackend.KernelChoice.class, names = {"PLAIN", "VECTOR"})
  void learnsASeparableProblemToFullAccuracy(NativeBackend.KernelChoice kernels) {
    TrainingConfig config = config(smallNet(3), new LabelSet("bars", List.of("low", "middle", "high"))).build();
    int n = 120;
    int[] labels = new int[n];
    float[] data = images(n, labels, 1);
    FeatureShape shape = SMALL.shape();
    try (TrainingSession s = start(config, kernels)) {
      int batch = 24;
      int[] predicted = new int[batch];
      double first = 0;
      double last = 0;
      for (int step = 0; step < 60; step++) {
        int from = (step * batch) % n;
        float[] x = java.util.Arrays.copyOfRange(data, from * SIZE * SIZE, (from + batch) * SIZE * SIZE);
        int[] y = java.util.Arrays.copyOfRange(labels, from, from + batch);
        double loss = s.trainStep(new InputBatch(x, batch, shape), oneHot(y, batch, 3), 1e-2, predicted);
        first = step == 0 ? loss : first;
        last = loss;
      }
      assertTrue(last < first / 5, "loss should fall: " + first + " -> " + last);
      float[] logits = s.logits(new InputBatch(data, n, shape));
      int[] test = new int[n];
      float[] unseen = images(n, test, 2);
      float[] unseenLogits = s.logits(new InputBatch(unseen, n, shape));
      assertEquals(n, correct(logits, labels, 3), "training images right");
      assertEquals(n, correct(unseenLogits, test, 3), "new images right");
    }
  }

  private static int correct(float[] logits, int[] labels, int classes) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        best = logits[i * classes + c] > logits[i * classes + best] ? c : best;
      }
      right += best == labels[i] ? 1 : 0;
    }
    return right;
  }

  /** Soft targets and class weights: plain SGD at learning rate 1 moves each weight by its gradient. */
  @Test
  void weightedSoftTargetLossAndItsGradient() {
    int in = 5;
    int classes = 3;
    int n = 4;
    List<LayerSpec> layers = List.of(new LayerSpec.Flatten(), new LayerSpec.Dense(classes, true));
    InputContract input = new InputContract(1, in, 1, List.of(0.0), List.of(1.0), InputContract.AREA);
    TrainingConfig config = TrainingConfig.builder(layers).labels(ABC).input(input)
        .optimizer(TrainingConfig.Optimizer.SGD, 1).momentum(0).weightDecay(0).build();
    float[] classWeights = {0.5f, 2f, 1.25f};
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[n * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] targets = {0.9f, 0.05f, 0.05f, 0.1f, 0.7f, 0.2f, 0f, 0f, 1f, 0.3f, 0.3f, 0.4f};
    try (TrainingSession s = new NativeTrainer(NativeBackend.KernelChoice.PLAIN).start(config,
        classWeights, null, null, 0)) {
      Map<String, Tensor> before = s.weights();
      double[] w = toDouble(before.get("layers.1.weight").data());
      double[] b = toDouble(before.get("layers.1.bias").data());
      double expectedLoss = loss(x, targets, classWeights, w, b, n, in, classes);
      double loss = s.trainStep(new InputBatch(x, n, input.shape()), targets, 1.0, new int[n]);
      assertEquals(expectedLoss, loss, 1e-6, "loss");
      float[] after = s.weights().get("layers.1.weight").data();
      for (int i = 0; i < w.length; i++) {
        double v = w[i];
        w[i] = v + 1e-5;
        double up = loss(x, targets, classWeights, w, b, n, in, classes);
        w[i] = v - 1e-5;
        double down = loss(x, targets, classWeights, w, b, n, in, classes);
        w[i] = v;
        assertEquals((up - down) / 2e-5, v - after[i], 1e-5, "weight gradient " + i);
      }
    }
  }

  private static double loss(float[] x, float[] t, float[] cw, double[] w, double[] b, int n, int in,
      int classes) {
    double total = 0;
    double weights = 0;
    for (int i = 0; i < n; i++) {
      double[] z = new double[classes];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        z[c] = b[c];
        for (int f = 0; f < in; f++) {
          z[c] += w[c * in + f] * x[i * in + f];
        }
        max = Math.max(max, z[c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(z[c] - max);
      }
      double nll = 0;
      double wi = 0;
      for (int c = 0; c < classes; c++) {
        nll -= t[i * classes + c] * (z[c] - max - Math.log(sum));
        wi += t[i * classes + c] * cw[c];
      }
      total += wi * nll;
      weights += wi;
    }
    return total / weights;
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Each optimiser against its formulas, written out in double, over three steps with weight decay. */
  @ParameterizedTest
  @EnumSource(TrainingConfig.Optimizer.class)
  void optimizersFollowTheirFormulas(TrainingConfig.Optimizer kind) {
    TrainingConfig config = config(smallNet(3), ABC).optimizer(kind, 0.01)
        .weightDecay(0.05).momentum(0.8).build();
    NativeOptimizer opt = new NativeOptimizer(config, 4);
    Param p = new Param("w", new int[] {3}, true);
    double[] w = {0.5, -1.0, 2.0};
    double[] m = new double[3];
    double[] v = new double[3];
    for (int i = 0; i < 3; i++) {
      p.value[i] = (float) w[i];
    }
    double[][] grads = {{0.1, -0.2, 0.3}, {-0.05, 0.4, 0.01}, {0.2, 0.2, -0.3}};
    for (int step = 0; step < 3; step++) {
      double lr = 0.01 * (step + 1);
      for (int i = 0; i < 3; i++) {
        p.grad[i] = (float) grads[step][i];
        double g = grads[step][i];
        if (kind == TrainingConfig.Optimizer.ADAMW) {
          int t = 5 + step; // 4 steps done before
          w[i] -= lr * 0.05 * w[i];
          m[i] = 0.9 * m[i] + 0.1 * g;
          v[i] = 0.999 * v[i] + 0.001 * g * g;
          w[i] -= lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)) * m[i] / (Math.sqrt(v[i]) + 1e-8);
        } else if (kind == TrainingConfig.Optimizer.SGD) {
          m[i] = 0.8 * m[i] + lr * (g + 0.05 * w[i]);
          w[i] -= m[i];
        } else {
          double gd = g + 0.05 * w[i];
          m[i] = 0.8 * m[i] + gd;
          w[i] -= lr * (gd + 0.8 * m[i]);
        }
      }
      opt.step(List.of(p), lr);
      for (int i = 0; i < 3; i++) {
        assertEquals(w[i], p.value[i], 1e-5 * Math.abs(w[i]) + 1e-7, kind + " step " + step + " weight " + i);
      }
    }
    Map<String, Tensor> state = opt.state();
    assertEquals(kind == TrainingConfig.Optimizer.ADAMW ? 2 : 1, state.size());
    assertEquals(m[1], state.get("w.state1").data()[1], 1e-6);
  }

  /**
   * Saving weights and optimiser state after some steps and starting a new session from them
   * continues exactly as the first session does (dropout masks included).
   */
  @ParameterizedTest
  @EnumSource(TrainingConfig.Optimizer.class)
  void aSessionStartedFromSavedStateContinuesTheSameRun(TrainingConfig.Optimizer kind) {
    TrainingConfig config = config(smallNet(3), ABC).optimizer(kind, 1e-2).build();
    int n = 24;
    int[] labels = new int[n];
    float[] data = images(n, labels, 5);
    InputBatch batch = new InputBatch(data, n, SMALL.shape());
    float[] targets = oneHot(labels, n, 3);
    int[] predicted = new int[n];
    try (TrainingSession a = start(config, NativeBackend.KernelChoice.AUTO);
        TrainingSession twin = start(config, NativeBackend.KernelChoice.AUTO)) {
      assertEquals(a.weights(), twin.weights(), "the same seed gives the same initial weights");
      for (int i = 0; i < 3; i++) {
        a.trainStep(batch, targets, 1e-2, predicted);
      }
      try (TrainingSession b = new NativeTrainer().start(config, ones(3), a.weights(),
          a.optimizerState(), 3)) {
        for (int i = 0; i < 3; i++) {
          double la = a.trainStep(batch, targets, 1e-2, predicted);
          double lb = b.trainStep(batch, targets, 1e-2, predicted);
          assertEquals(la, lb, 0.0, "loss of step " + (4 + i));
        }
        assertEquals(a.weights(), b.weights());
        assertEquals(a.optimizerState(), b.optimizerState());
      }
      assertNotEquals(a.weights(), twin.weights());
    }
  }

  @Test
  void aGpuIsRefusedNamingTheDevicesThereAre() {
    TrainingConfig config = config(smallNet(3), ABC).device(io.github.emotion4j.Device.GPU).build();
    Exception e = assertThrows(io.github.emotion4j.DeviceUnavailableException.class,
        () -> new NativeTrainer().start(config, ones(3), null, null, 0));
    assertTrue(e.getMessage().contains("native") && e.getMessage().contains("CPU"), e.getMessage());
  }

  @Test
  void setWeightsRefusesMissingOrMisshapenTensors() {
    TrainingConfig config = config(smallNet(3), ABC).build();
    try (TrainingSession s = start(config, NativeBackend.KernelChoice.AUTO)) {
      Map<String, Tensor> w = new java.util.LinkedHashMap<>(s.weights());
      w.put("layers.0.weight", new Tensor(new int[] {8, 1, 3, 2}, new float[48]));
      Exception e = assertThrows(io.github.emotion4j.ModelPackageException.class, () -> s.setWeights(w));
      assertTrue(e.getMessage().contains("layers.0.weight") && e.getMessage().contains("[8, 1, 3, 3]"),
          e.getMessage());
      w.remove("layers.0.weight");
      assertThrows(io.github.emotion4j.ModelPackageException.class, () -> s.setWeights(w));
    }
  }

  // --- through the facade, on FER2013 ---

  private static List<LabelledImages> fer(int perLabel) {
    LabelledImages all = LabelledImages.fromFolder(TestData.fer2013("train"), LabelSet.PAPER_FOUR,
        InputContract.FER2013).firstPerLabel(perLabel);
    return all.split(0.2, 1);
  }

  private static TrainingConfig.Builder fer2013() {
    return TrainingConfig.builder(NetworkPreset.LENET).labels(LabelSet.PAPER_FOUR).epochs(5).batchSize(16)
        .augmentation(Augmentation.NONE).earlyStopping(TrainingConfig.Metric.ACCURACY, 0)
        .optimizer(TrainingConfig.Optimizer.ADAMW, 2e-3).schedule(TrainingConfig.Schedule.CONSTANT, 0)
        .backend("native");
  }

  @Test
  void trainsThroughTheFacadeAndRecordsTheTrainer() {
    List<LabelledImages> data = fer(150);
    TrainingResult r = Training.train(fer2013().epochs(8).build(), data.get(0), data.get(1),
        TrainingListener.NONE);
    double first = r.history().get(0).trainLoss();
    double last = r.history().get(7).trainLoss();
    assertTrue(last < first * 0.95, "training loss should fall: " + first + " -> " + last);
    double best = r.history().get(r.bestEpoch() - 1).validation().accuracy();
    assertTrue(best > 0.30, "held-out accuracy should beat chance (0.25): " + best);
    ModelPackage model = r.model();
    assertEquals("native", model.metadata().provenance().backend());
    try (var net = new NativeBackend().load(model, io.github.emotion4j.Device.CPU)) {
      assertEquals(4, net.logits(new InputBatch(new float[48 * 48], 1, InputContract.FER2013.shape())).length);
    }
  }

  /** A resumed run's second epoch is the uninterrupted run's second epoch, to the last bit. */
  @Test
  void resumeContinuesTheSameLossCurve(@TempDir Path dir) {
    List<LabelledImages> data = fer(60);
    TrainingConfig.Builder b = fer2013().optimizer(TrainingConfig.Optimizer.SGD_NESTEROV, 0.01)
        .augmentation(Augmentation.STANDARD).labelSmoothing(0.1);
    TrainingResult straight = Training.train(b.epochs(2).checkpointDir(dir.resolve("a")).build(),
        data.get(0), data.get(1), TrainingListener.NONE);
    TrainingConfig firstHalf = b.epochs(1).checkpointDir(dir.resolve("b")).build();
    Training.train(firstHalf, data.get(0), data.get(1), TrainingListener.NONE);
    TrainingResult resumed = Training.resume(firstHalf.toBuilder().epochs(2).build(), data.get(0),
        data.get(1), TrainingListener.NONE);
    assertEquals(2, resumed.history().size());
    assertEquals(straight.history().get(1).trainLoss(), resumed.history().get(1).trainLoss(), 0.0);
    assertEquals(straight.history().get(1).validationLoss(), resumed.history().get(1).validationLoss(), 0.0);
    assertArrayEquals(straight.model().tensor("layers.0.weight").data(),
        resumed.model().tensor("layers.0.weight").data());
  }

  @Test
  void anUnknownTrainerIsAClearError() {
    List<LabelledImages> data = fer(5);
    Exception e = assertThrows(BackendUnavailableException.class, () -> Training.train(
        fer2013().backend("tensorflow").build(), data.get(0), data.get(1), TrainingListener.NONE));
    assertEquals("No emotion4j trainer named \"tensorflow\". Available: native. Add"
        + " io.github.emotion4j:emotion4j-backend-tensorflow. See docs/errors.md#no-backend", e.getMessage());
  }
}
