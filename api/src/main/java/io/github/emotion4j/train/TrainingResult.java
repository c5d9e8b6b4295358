package io.github.emotion4j.train;

import io.github.emotion4j.model.ModelPackage;
import java.util.List;
import java.util.Objects;

/**
 * A finished training run.
 *
 * @param model the package with the best epoch's weights and full provenance
 * @param history every epoch run, in order (including epochs from a resumed checkpoint)
 * @param bestEpoch the epoch whose weights were kept
 * @param stoppedEarly whether early stopping ended the run
 * @since 0.1
 */
public record TrainingResult(
    ModelPackage model, List<EpochResult> history, int bestEpoch, boolean stoppedEarly) {
  /** Copies the history. */
  public TrainingResult {
    Objects.requireNonNull(model, "model");
    history = List.copyOf(history);
  }
}
