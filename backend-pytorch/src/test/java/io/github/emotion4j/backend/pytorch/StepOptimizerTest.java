package io.github.emotion4j.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The optimiser's steps against the update rules written out by hand. */
class StepOptimizerTest {
  @Test
  void nesterovFollowsPyTorchsRule() {
    float lr = 0.1f;
    float mu = 0.9f;
    float wd = 0.01f;
    TrainingConfig config = TrainingConfig.builder(NetworkPreset.LENET)
        .optimizer(TrainingConfig.Optimizer.SGD_NESTEROV, lr).momentum(mu).weightDecay(wd).build();
    StepOptimizer optimizer = new StepOptimizer(config, 0);
    optimizer.setLearningRate(lr);
    float[] w = {1f, -2f, 0.5f};
    float[] buf = new float[3];
    float[][] grads = {{0.3f, -0.1f, 0.2f}, {0.1f, 0.4f, -0.5f}, {-0.2f, 0.0f, 0.3f}};
    try (NDManager manager = PyTorchBackend.engine().newBaseManager()) {
      NDArray weight = manager.create(w.clone());
      weight.setRequiresGradient(true);
      for (float[] g : grads) {
        try (NDArray grad = manager.create(g)) {
          optimizer.update("w", weight, grad);
        }
        for (int i = 0; i < 3; i++) {
          float d = g[i] + wd * w[i];
          buf[i] = mu * buf[i] + d;
          w[i] -= lr * (d + mu * buf[i]);
        }
        assertArrayEquals(w, weight.toFloatArray(), 1e-6f);
      }
    }
  }
}
