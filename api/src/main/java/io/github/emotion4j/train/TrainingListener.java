package io.github.emotion4j.train;

/**
 * Follows a training run. Called on the training thread; keep it quick.
 *
 * @since 0.1
 */
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * Called after each training batch.
   *
   * @param epoch the epoch, from 1
   * @param batch the batch within the epoch, from 1
   * @param batches batches in the epoch
   * @param loss this batch's loss
   * @param imagesPerSecond training throughput so far this epoch
   * @param etaSeconds estimated seconds until the last epoch ends
   */
  default void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond,
      double etaSeconds) {}

  /**
   * Called after each epoch, once validation is done and the checkpoint is written.
   *
   * @param result the epoch's figures
   */
  default void onEpoch(EpochResult result) {}
}
