package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.train.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW and SGD (momentum, Nesterov) on float arrays, step for step what the PyTorch trainer's
 * optimiser does with DJL's update kernels, so that a checkpoint's state means the same to both:
 * AdamW decays the weight by {@code lr·wd·w}, then moves it by {@code lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m /
 * (√v + ε)} (β₁ 0.9, β₂ 0.999, ε 1e-8; state1 m, state2 v); SGD adds {@code wd·w} to the gradient,
 * scales it by the learning rate and keeps that in its momentum buffer ({@code state1}); Nesterov
 * SGD keeps the unscaled buffer and steps by {@code lr·(g + μ·buffer)}. Every trainable tensor
 * (biases and batch-norm scales included) is decayed. Not thread-safe.
 */
final class NativeOptimizer {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private final TrainingConfig.Optimizer kind;
  private final float momentum;
  private final float weightDecay;
  private final Map<Param, float[]> first = new LinkedHashMap<>();
  private final Map<Param, float[]> second = new LinkedHashMap<>();
  private int updates;

  NativeOptimizer(TrainingConfig config, int stepsDone) {
    this.kind = config.optimizer();
    this.momentum = (float) config.momentum();
    this.weightDecay = (float) config.weightDecay();
    this.updates = stepsDone;
  }

  /** Updates every trainable tensor from its gradient. */
  void step(List<Param> params, double learningRate) {
    int t = ++updates;
    float lr = (float) learningRate;
    float wd = weightDecay;
    for (Param p : params) {
      if (!p.trainable()) {
        continue;
      }
      float[] w = p.value;
      float[] g = p.grad;
      float[] m = first.computeIfAbsent(p, k -> new float[w.length]);
      if (kind == TrainingConfig.Optimizer.ADAMW) {
        float[] v = second.computeIfAbsent(p, k -> new float[w.length]);
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
        float b1 = 1 - BETA1;
        float b2 = 1 - BETA2;
        for (int i = 0; i < w.length; i++) {
          float wi = w[i] - w[i] * lr * wd;
          float gi = g[i];
          float mi = m[i] * BETA1 + b1 * gi;
          float vi = v[i] * BETA2 + b2 * gi * gi;
          m[i] = mi;
          v[i] = vi;
          w[i] = wi - mi * corrected / ((float) Math.sqrt(vi) + EPSILON);
        }
      } else if (kind == TrainingConfig.Optimizer.SGD_NESTEROV) {
        for (int i = 0; i < w.length; i++) {
          float gi = g[i] + w[i] * wd;
          float mi = m[i] * momentum + gi;
          m[i] = mi;
          w[i] -= (mi * momentum + gi) * lr;
        }
      } else {
        for (int i = 0; i < w.length; i++) {
          float gi = (g[i] + w[i] * wd) * lr;
          if (momentum == 0f) {
            w[i] -= gi;
          } else {
            float mi = m[i] * momentum + gi;
            m[i] = mi;
            w[i] -= mi;
          }
        }
      }
    }
  }

  /** The state under {@code <tensor>.state1} and {@code <tensor>.state2}, as the PyTorch trainer names it. */
  Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    first.forEach((p, a) -> out.put(p.name + ".state1", new Tensor(p.shape, a.clone())));
    second.forEach((p, a) -> out.put(p.name + ".state2", new Tensor(p.shape, a.clone())));
    return out;
  }

  /** Restores state saved by {@link #state()} (by either trainer); absent tensors start at zero. */
  void restore(List<Param> params, Map<String, Tensor> state) {
    for (Param p : params) {
      if (!p.trainable()) {
        continue;
      }
      restore(p, state.get(p.name + ".state1"), first);
      restore(p, state.get(p.name + ".state2"), second);
    }
  }

  private static void restore(Param p, Tensor t, Map<Param, float[]> into) {
    if (t == null) {
      return;
    }
    if (t.size() != p.value.length) {
      throw new io.github.emotion4j.ModelPackageException("Optimizer state \"" + p.name + "\" has "
          + t.size() + " values, the tensor has " + p.value.length);
    }
    into.put(p, t.data().clone());
  }
}
