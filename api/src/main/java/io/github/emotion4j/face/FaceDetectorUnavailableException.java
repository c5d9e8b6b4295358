package io.github.emotion4j.face;

import io.github.emotion4j.Emotion4jException;

/**
 * No face detector of the requested name can run here, or none at all. The message lists the
 * detectors found, those that failed to load and why, and the artifact to add.
 *
 * @since 0.1
 */
public class FaceDetectorUnavailableException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was asked, what exists, and how to fix it
   */
  public FaceDetectorUnavailableException(String message) {
    super(message);
  }
}
