package io.github.emotion4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Random changes applied to each training image, in this order: rotation, scaling, crop with
 * padding, horizontal flip, blur, brightness and contrast, noise, erasing. All off is {@link #NONE}.
 *
 * <p>Blur and noise are there because FER2013's 48-pixel faces carry more fine texture than
 * downscaled photos from elsewhere, and a network trained without them reads smooth neutral faces
 * as sad (training/offdomain/ANALYSIS.md).
 *
 * @param rotationDegrees the largest rotation either way (0 for none)
 * @param cropPadding pixels of zero padding before a random crop back to the input size (0 for none)
 * @param horizontalFlip whether half the images are mirrored
 * @param brightness the largest shift, as a fraction of the value range (0 for none)
 * @param contrast the largest relative change of contrast (0 for none)
 * @param scale the largest relative zoom in or out, e.g. 0.1 for 90–110% (0 for none)
 * @param blur the largest Gaussian blur σ in pixels, applied to half the images (0 for none)
 * @param noise the largest standard deviation of pixel noise, as a fraction of the value range,
 *     added to half the images (0 for none)
 * @param erasing the probability of blanking one random box (2–25% of the image, aspect 0.3–3.3) to
 *     the mean grey, so that no single face region is relied on (0 for none)
 * @since 0.1
 */
public record Augmentation(
    double rotationDegrees, int cropPadding, boolean horizontalFlip, double brightness, double contrast,
    double scale, double blur, double noise, double erasing) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, 0, false, 0, 0, 0, 0, 0, 0);
  /** What the bundled model 0.0.30 used: ±10°, 4-pixel crop, flips, ±0.2 brightness and contrast. */
  public static final Augmentation STANDARD = new Augmentation(10, 4, true, 0.2, 0.2, 0, 0, 0, 0);
  /**
   * {@link #STANDARD} plus what makes a model hold up on faces from other collections: ±10% zoom,
   * blur up to σ 1, noise up to 0.03, contrast ±0.4 (training/offdomain/ANALYSIS.md).
   */
  public static final Augmentation ROBUST = new Augmentation(10, 4, true, 0.2, 0.4, 0.1, 1.0, 0.03, 0);

  /** Validates the ranges. */
  public Augmentation {
    if (rotationDegrees < 0 || rotationDegrees > 45 || cropPadding < 0 || brightness < 0
        || brightness > 1 || contrast < 0 || contrast > 1 || !(scale >= 0 && scale < 1)
        || !(blur >= 0 && blur <= 5) || !(noise >= 0 && noise <= 0.5) || !(erasing >= 0 && erasing <= 1)) {
      throw new IllegalArgumentException("augmentation out of range: " + rotationDegrees + "°, "
          + cropPadding + " px, brightness " + brightness + ", contrast " + contrast + ", scale " + scale
          + ", blur " + blur + ", noise " + noise + ", erasing " + erasing);
    }
  }

  /**
   * Returns this augmentation with another zoom range.
   *
   * @param scale the largest relative zoom in or out
   * @return the changed copy
   */
  public Augmentation withScale(double scale) {
    return new Augmentation(rotationDegrees, cropPadding, horizontalFlip, brightness, contrast, scale, blur, noise,
        erasing);
  }

  /**
   * Returns this augmentation with another erasing probability.
   *
   * @param erasing the probability of blanking one random box
   * @return the changed copy
   */
  public Augmentation withErasing(double erasing) {
    return new Augmentation(rotationDegrees, cropPadding, horizontalFlip, brightness, contrast, scale, blur, noise,
        erasing);
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
    if (scale > 0) {
      steps.add("scale ±" + scale);
    }
    if (cropPadding > 0) {
      steps.add("random crop, zero padding " + cropPadding);
    }
    if (horizontalFlip) {
      steps.add("horizontal flip p=0.5");
    }
    if (blur > 0) {
      steps.add("gaussian blur σ≤" + blur + " p=0.5");
    }
    if (brightness > 0) {
      steps.add("brightness ±" + brightness);
    }
    if (contrast > 0) {
      steps.add("contrast ±" + contrast);
    }
    if (noise > 0) {
      steps.add("pixel noise sd≤" + noise + " p=0.5");
    }
    if (erasing > 0) {
      steps.add("random erasing p=" + erasing);
    }
    return List.copyOf(steps);
  }
}
