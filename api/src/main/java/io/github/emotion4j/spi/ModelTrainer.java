package io.github.emotion4j.spi;

import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Map;

/**
 * A backend that can train, found by {@link java.util.ServiceLoader} like {@link EmotionBackend}.
 * The api's {@link io.github.emotion4j.train.Training} facade owns the loop (sampling, augmentation,
 * schedule, validation, early stopping, checkpoints, provenance); a trainer only runs steps.
 * Implementations are cheap to construct and load no native code until {@link #start}.
 *
 * @since 0.1
 */
public interface ModelTrainer {
  /**
   * Returns the trainer's backend name, e.g. {@code "pytorch"}.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the trainer's rank: without a backend named in the configuration, the facade takes the
   * available trainer of lowest rank. Default 0; the native trainer ranks after PyTorch.
   *
   * @return the rank
   */
  default int rank() {
    return 0;
  }

  /**
   * Returns the SPI version the trainer was compiled against ({@code return
   * EmotionBackend.SPI_VERSION;}).
   *
   * @return the version
   */
  int spiVersion();

  /**
   * Tells cheaply whether the trainer can run here.
   *
   * @return available, or not with the reason
   */
  BackendAvailability availability();

  /**
   * Starts a session: builds the network, initialises weights from the seed (or takes the given
   * ones) and the optimiser (or restores its state). Called once per run by the facade.
   *
   * @param config the run's configuration
   * @param classWeights the loss weight per label (all 1 for an unweighted loss)
   * @param weights weights to start from (a checkpoint or fine-tuning), or null for fresh ones
   * @param optimizerState optimiser state from a checkpoint, or null
   * @param stepsDone optimiser steps already taken (0 for a fresh run)
   * @return the session, closed by the caller
   */
  TrainingSession start(TrainingConfig config, float[] classWeights, Map<String, Tensor> weights,
      Map<String, Tensor> optimizerState, int stepsDone);
}
