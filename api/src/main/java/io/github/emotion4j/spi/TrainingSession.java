package io.github.emotion4j.spi;

import io.github.emotion4j.model.Tensor;
import java.util.Map;

/**
 * One training run's network and optimiser inside an engine. Used from one thread.
 *
 * @since 0.1
 */
public interface TrainingSession extends AutoCloseable {
  /**
   * Runs one optimisation step on a batch in training mode (dropout on, batch-norm statistics
   * updated).
   *
   * <p>The loss is cross-entropy against soft targets, each image weighted by its target's class
   * weight: {@code sum_i w_i * -sum_c t_ic log p_ic / sum_i w_i} with {@code w_i = sum_c t_ic
   * classWeight_c}. One-hot targets give plain (weighted) cross-entropy; smoothed or mixed targets
   * come from the facade.
   *
   * @param batch the augmented, preprocessed images
   * @param targets {@code batch.size() × labels} target probabilities, each row summing to 1
   * @param learningRate the learning rate for this step
   * @param predicted receives the predicted label index of each image
   * @return the batch's mean (weighted) loss
   */
  double trainStep(InputBatch batch, float[] targets, double learningRate, int[] predicted);

  /**
   * Replaces the network's weights (and batch-norm statistics), e.g. to validate an average of
   * the weights and then put the trained ones back. The optimiser's state is kept.
   *
   * @param weights every tensor of {@link #weights()}, under the same names and shapes
   */
  void setWeights(Map<String, Tensor> weights);

  /**
   * Runs the network in inference mode.
   *
   * @param batch the preprocessed images
   * @return {@code batch.size() × labels} logits
   */
  float[] logits(InputBatch batch);

  /**
   * Returns the current weights under the package's tensor names.
   *
   * @return the weights
   */
  Map<String, Tensor> weights();

  /**
   * Returns the optimiser's state (moments, momentum buffers) for a checkpoint.
   *
   * @return state tensors by name
   */
  Map<String, Tensor> optimizerState();

  /**
   * Returns the engine name, for provenance.
   *
   * @return e.g. {@code "PyTorch"}
   */
  String engine();

  /**
   * Returns the engine version, for provenance.
   *
   * @return e.g. {@code "2.7.1"}
   */
  String engineVersion();

  /** Releases the engine's resources. */
  @Override
  void close();
}
