package io.github.emotion4j;

import java.util.Objects;

/**
 * One label and its probability.
 *
 * @param label the emotion
 * @param probability its probability, in [0, 1]
 * @since 0.1
 */
public record ScoredLabel(String label, double probability) {
  /** Validates the values. */
  public ScoredLabel {
    Objects.requireNonNull(label, "label");
    if (!(probability >= 0 && probability <= 1.0000001)) {
      throw new IllegalArgumentException(
          "probability of \"" + label + "\" must be in [0, 1], got " + probability);
    }
  }
}
