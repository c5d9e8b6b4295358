package io.github.emotion4j.train;

/**
 * What one epoch achieved.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean training loss
 * @param trainAccuracy training accuracy (on augmented images, in training mode)
 * @param validationLoss mean validation loss
 * @param validation validation metrics
 * @param learningRate the learning rate at the epoch's end
 * @param seconds the epoch's wall time
 * @since 0.1
 */
public record EpochResult(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    Evaluation validation,
    double learningRate,
    double seconds) {

  /**
   * Returns this epoch's value of a metric.
   *
   * @param metric the metric
   * @return its validation value
   */
  public double metric(TrainingConfig.Metric metric) {
    return metric == TrainingConfig.Metric.ACCURACY ? validation.accuracy() : validation.macroF1();
  }
}
