package io.github.emotion4j.face;

import io.github.emotion4j.FaceBox;
import java.util.Objects;
import java.util.Optional;

/**
 * One face a {@link FaceDetector} found.
 *
 * @param box where the face is, in the photo's pixel coordinates; may extend past the photo's edges
 *     when the face is cut by them
 * @param confidence the detector's score in [0, 1]
 * @param landmarks eye, nose and mouth positions, when the detector gives them
 * @since 0.1
 */
public record DetectedFace(FaceBox box, double confidence, Optional<FaceLandmarks> landmarks) {

  /** Validates the box, the score range and the landmarks' presence. */
  public DetectedFace {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(landmarks, "landmarks");
    if (!(confidence >= 0 && confidence <= 1)) {
      throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
    }
  }

  /**
   * Creates a face without landmarks.
   *
   * @param box where the face is
   * @param confidence the detector's score in [0, 1]
   */
  public DetectedFace(FaceBox box, double confidence) {
    this(box, confidence, Optional.empty());
  }
}
