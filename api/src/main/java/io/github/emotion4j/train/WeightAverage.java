package io.github.emotion4j.train;

import io.github.emotion4j.model.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the weights, batch-norm statistics included. Early on the decay
 * is lowered to {@code (1 + t) / (10 + t)} so the average is not dominated by the random start.
 */
final class WeightAverage {
  private final double decay;
  private final Map<String, float[]> average = new LinkedHashMap<>();
  private final Map<String, int[]> shapes = new LinkedHashMap<>();

  WeightAverage(double decay, Map<String, Tensor> start) {
    this.decay = decay;
    start.forEach((name, t) -> {
      average.put(name, t.data()); // data() is a copy
      shapes.put(name, t.shape());
    });
  }

  /** Folds in the weights after step {@code step} (counted from 1). */
  void update(Map<String, Tensor> weights, int step) {
    float d = (float) Math.min(decay, (1.0 + step) / (10.0 + step));
    weights.forEach((name, t) -> {
      float[] avg = average.get(name);
      float[] w = t.data();
      for (int i = 0; i < avg.length; i++) {
        avg[i] = d * avg[i] + (1 - d) * w[i];
      }
    });
  }

  /** The average as tensors (the constructor copies). */
  Map<String, Tensor> tensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    average.forEach((name, a) -> out.put(name, new Tensor(shapes.get(name), a)));
    return out;
  }
}
