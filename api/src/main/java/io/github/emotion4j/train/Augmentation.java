package io.github.emotion4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Random changes applied to each training image, in this order: rotation, crop with padding,
 * horizontal flip, brightness and contrast. All off is {@link #NONE}.
 *
 * @param rotationDegrees the largest rotation either way (0 for none)
 * @param cropPadding pixels of zero padding before a random crop back to the input size (0 for none)
 * @param horizontalFlip whether half the images are mirrored
 * @param brightness the largest shift, as a fraction of the value range (0 for none)
 * @param contrast the largest relative change of contrast (0 for none)
 * @since 0.1
 */
public record Augmentation(
    double rotationDegrees, int cropPadding, boolean horizontalFlip, double brightness, double contrast) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, 0, false, 0, 0);
  /** What the bundled model uses: ±10°, 4-pixel crop, flips, ±0.2 brightness and contrast. */
  public static final Augmentation STANDARD = new Augmentation(10, 4, true, 0.2, 0.2);

  /** Validates the ranges. */
  public Augmentation {
    if (rotationDegrees < 0 || rotationDegrees > 45 || cropPadding < 0 || brightness < 0
        || brightness > 1 || contrast < 0 || contrast > 1) {
      throw new IllegalArgumentException("augmentation out of range: " + rotationDegrees + "°, "
          + cropPadding + " px, brightness " + brightness + ", contrast " + contrast);
    }
  }

  /**
   * Names the steps in application order, for provenance.
   *
   * @return e.g. {@code ["rotate ±10°", "crop pad 4", "hflip", ...]}
   */
  public List<String> describe() {
    List<String> steps = new ArrayList<>();
    if (rotationDegrees > 0) {
      steps.add("rotate ±" + rotationDegrees + "°");
    }
    if (cropPadding > 0) {
      steps.add("random crop, zero padding " + cropPadding);
    }
    if (horizontalFlip) {
      steps.add("horizontal flip p=0.5");
    }
    if (brightness > 0) {
      steps.add("brightness ±" + brightness);
    }
    if (contrast > 0) {
      steps.add("contrast ±" + contrast);
    }
    return List.copyOf(steps);
  }
}
