package io.github.emotion4j.face;

import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import java.util.Objects;
import java.util.Optional;

/**
 * One face of a photo and the emotion it shows, as {@link FaceEmotionAnalyzer#analyze} returns it.
 *
 * @param box where the detector found the face, in the photo's pixel coordinates (before any
 *     margin was added for classification)
 * @param confidence the detector's score in [0, 1]
 * @param scores the classifier's scores for this face
 * @param landmarks eye, nose and mouth positions, when the detector gives them
 * @since 0.1
 */
public record FaceResult(FaceBox box, double confidence, EmotionScores scores, Optional<FaceLandmarks> landmarks) {

  /** Checks that nothing is missing. */
  public FaceResult {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(landmarks, "landmarks");
  }
}
