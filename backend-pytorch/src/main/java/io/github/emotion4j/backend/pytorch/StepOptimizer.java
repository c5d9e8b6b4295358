package io.github.emotion4j.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW or SGD with momentum (plain or Nesterov) on DJL's fused update kernels, with two things
 * DJL's optimisers lack:
 * the learning rate is set per step by the facade's schedule, and the state (moments, momentum
 * buffers) is reachable, so checkpoints can save it and a resumed run continues the same run.
 */
final class StepOptimizer extends Optimizer {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final TrainingConfig.Optimizer kind;
  private final float momentum;
  private volatile float learningRate;
  /** State arrays by parameter id: "m" and "v" for AdamW, "momentum" for SGD. */
  final Map<String, NDArray> first = new ConcurrentHashMap<>();
  final Map<String, NDArray> second = new ConcurrentHashMap<>();

  StepOptimizer(TrainingConfig config, int stepsDone) {
    super(new Builder().optWeightDecays((float) config.weightDecay()).optBeginNumUpdate(stepsDone));
    this.kind = config.optimizer();
    this.momentum = (float) config.momentum();
  }

  void setLearningRate(double lr) {
    this.learningRate = (float) lr;
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray grad) {
    int t = updateCount(parameterId);
    float lr = learningRate;
    NDArray m = first.computeIfAbsent(parameterId, k -> detached(weight.zerosLike()));
    if (kind == TrainingConfig.Optimizer.ADAMW) {
      NDArray v = second.computeIfAbsent(parameterId, k -> detached(weight.zerosLike()));
      double coef1 = 1.0 - Math.pow(BETA1, t);
      double coef2 = 1.0 - Math.pow(BETA2, t);
      float biasCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
      weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight), lr,
          biasCorrected, getWeightDecay(), rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, true);
    } else if (kind == TrainingConfig.Optimizer.SGD_NESTEROV) {
      // PyTorch's Nesterov SGD: g += wd·w; m = μm + g; w -= lr·(g + μm). DJL's PyTorch engine has
      // no fused Nesterov kernel, so the step is composed: the buffer is ours to update in place,
      // and the weight moves through the plain SGD kernel (momentum 0), which runs without autograd
      // (stopGradient: the decay term must not join an autograd graph through the buffer)
      try (NDArray w = weight.stopGradient(); NDArray decay = w.mul(getWeightDecay());
          NDArray g = grad.mul(rescaleGrad).addi(decay)) {
        m.muli(momentum).addi(g);
        try (NDArray step = m.mul(momentum).addi(g)) {
          weight.getNDArrayInternal().sgdUpdate(new NDList(weight, step), new NDList(weight), lr, 0f, 1f,
              clipGrad, 0f, true);
        }
      }
    } else {
      weight.getNDArrayInternal().sgdUpdate(new NDList(weight, grad, m), new NDList(weight), lr,
          getWeightDecay(), rescaleGrad, clipGrad, momentum, true);
    }
  }

  private static NDArray detached(NDArray array) {
    array.detach(); // lives as long as the optimiser, not the step's manager
    return array;
  }

  /** The builder DJL's Optimizer constructor needs. */
  static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
