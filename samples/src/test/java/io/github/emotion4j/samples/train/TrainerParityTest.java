package io.github.emotion4j.samples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.backend.nativejvm.NativeTrainer;
import io.github.emotion4j.backend.pytorch.PyTorchTrainer;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.TrainingConfig;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native trainer and the PyTorch trainer take the same steps: from the same weights, on the
 * same batch, targets (soft, class-weighted) and learning rate, every tensor after a step (weights,
 * batch-norm running averages) and the optimiser state agree within 1e-4 of the tensor's scale, for
 * every optimiser; and a run moves between the trainers through their checkpoint state.
 */
class TrainerParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final int SIZE = 12;
  private static final int N = 16;
  private static final InputContract INPUT = new InputContract(1, SIZE, SIZE, List.of(0.0), List.of(1.0),
      InputContract.AREA);
  private static final LabelSet LABELS = new LabelSet("abc", List.of("a", "b", "c"));
  /**
   * Every layer kind but dropout, whose masks come from each engine's own random numbers. No bias
   * before a batch-norm, and a non-linearity after each: else a tensor that only shifts what a
   * batch-norm then centres has a gradient of 0 but for rounding, which AdamW blows up to ±lr.
   */
  private static final List<LayerSpec> NET = List.of(new LayerSpec.Conv2d(8, 3, 1, 1, false),
      new LayerSpec.BatchNorm(1e-5), new LayerSpec.Relu(), new LayerSpec.MaxPool(2, 2, 0),
      new LayerSpec.Conv2d(12, 3, 2, 1, true), new LayerSpec.LeakyRelu(0.1),
      new LayerSpec.AvgPool(3, 1, 1), new LayerSpec.Conv2d(16, 1, 1, 0, false), new LayerSpec.BatchNorm(1e-3), new LayerSpec.Relu(),
      new LayerSpec.GlobalAvgPool(), new LayerSpec.Dense(10, false), new LayerSpec.BatchNorm(1e-5),
      new LayerSpec.Relu(), new LayerSpec.Dense(3, true));
  private static final float[] CLASS_WEIGHTS = {0.7f, 1.6f, 1.1f};

  private static TrainingConfig config(TrainingConfig.Optimizer kind) {
    return TrainingConfig.builder(NET).labels(LABELS).input(INPUT).batchSize(N)
        .optimizer(kind, 1e-2).weightDecay(1e-3).momentum(0.9).seed(11).build();
  }

  private static InputBatch batch(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[N * SIZE * SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return new InputBatch(x, N, INPUT.shape());
  }

  private static float[] targets(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] t = new float[N * 3];
    for (int i = 0; i < N; i++) { // smoothed one-hot, some mixed
      int c = r.nextInt(3);
      for (int j = 0; j < 3; j++) {
        t[i * 3 + j] = j == c ? 0.9f : 0.05f;
      }
    }
    return t;
  }

  @ParameterizedTest
  @EnumSource(TrainingConfig.Optimizer.class)
  void bothTrainersTakeTheSameSteps(TrainingConfig.Optimizer kind) {
    TrainingConfig config = config(kind);
    try (TrainingSession nat = new NativeTrainer().start(config, CLASS_WEIGHTS, null, null, 0);
        TrainingSession torch = new PyTorchTrainer().start(config, CLASS_WEIGHTS, nat.weights(), null, 0)) {
      assertClose(torch.weights(), nat.weights(), "initial weights");
      for (int step = 1; step <= 2; step++) {
        InputBatch b = batch(step);
        float[] t = targets(step);
        double lossTorch = torch.trainStep(b, t, 1e-2 * step, new int[N]);
        double lossNative = nat.trainStep(b, t, 1e-2 * step, new int[N]);
        assertEquals(lossTorch, lossNative, TOLERANCE * Math.abs(lossTorch), "loss of step " + step);
        assertClose(torch.weights(), nat.weights(), kind + " weights after step " + step);
        assertClose(torch.optimizerState(), nat.optimizerState(), kind + " state after step " + step);
      }
      InputBatch b = batch(9);
      float[] lt = torch.logits(b);
      float[] ln = nat.logits(b);
      double scale = 0;
      for (float v : lt) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < lt.length; i++) {
        assertEquals(lt[i], ln[i], TOLERANCE * scale, "inference-mode logit " + i);
      }
    }
  }

  /** A PyTorch checkpoint (weights and optimiser state) resumes on the native trainer, and back. */
  @ParameterizedTest
  @EnumSource(TrainingConfig.Optimizer.class)
  void aRunMovesBetweenTrainers(TrainingConfig.Optimizer kind) {
    TrainingConfig config = config(kind);
    try (TrainingSession torch = new PyTorchTrainer().start(config, CLASS_WEIGHTS, null, null, 0)) {
      torch.trainStep(batch(1), targets(1), 1e-2, new int[N]);
      try (TrainingSession nat = new NativeTrainer().start(config, CLASS_WEIGHTS, torch.weights(),
          torch.optimizerState(), 1)) {
        torch.trainStep(batch(2), targets(2), 1e-2, new int[N]);
        nat.trainStep(batch(2), targets(2), 1e-2, new int[N]);
        assertClose(torch.weights(), nat.weights(), kind + " PyTorch -> native");
        try (TrainingSession back = new PyTorchTrainer().start(config, CLASS_WEIGHTS, nat.weights(),
            nat.optimizerState(), 2)) {
          torch.trainStep(batch(3), targets(3), 1e-2, new int[N]);
          back.trainStep(batch(3), targets(3), 1e-2, new int[N]);
          assertClose(torch.weights(), back.weights(), kind + " native -> PyTorch");
        }
      }
    }
  }

  private static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": tensor names");
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      float[] a = e.getValue().data();
      float[] b = actual.get(e.getKey()).data();
      assertEquals(a.length, b.length, what + ": " + e.getKey());
      double scale = 1e-6;
      for (float v : a) {
        scale = Math.max(scale, Math.abs(v));
      }
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      assertTrue(worst <= TOLERANCE * scale, what + ": " + e.getKey() + " differs by " + worst
          + ", its scale is " + scale);
    }
  }
}
