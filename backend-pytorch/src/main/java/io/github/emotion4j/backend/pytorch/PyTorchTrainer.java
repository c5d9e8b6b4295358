package io.github.emotion4j.backend.pytorch;

import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.ModelTrainer;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Map;

/**
 * Trains model packages with DJL's PyTorch engine; found by the api's {@link
 * io.github.emotion4j.train.Training} facade through {@link java.util.ServiceLoader}.
 *
 * @since 0.1
 */
public final class PyTorchTrainer implements ModelTrainer {
  /** Creates the trainer; cheap. */
  public PyTorchTrainer() {}

  @Override
  public String name() {
    return PyTorchBackend.NAME;
  }

  @Override
  public int spiVersion() {
    return io.github.emotion4j.spi.EmotionBackend.SPI_VERSION;
  }

  @Override
  public BackendAvailability availability() {
    return new PyTorchBackend().availability();
  }

  @Override
  public TrainingSession start(TrainingConfig config, float[] classWeights,
      Map<String, Tensor> weights, Map<String, Tensor> optimizerState, int stepsDone) {
    return new PyTorchTrainingSession(config, classWeights, weights, optimizerState, stepsDone);
  }
}
