package io.github.emotion4j.face;

import io.github.emotion4j.Emotion4jException;

/**
 * A face detector could not start or failed on an image: its model would not load, or its engine
 * reported an error. The engine's own exception is the cause.
 *
 * @since 0.1
 */
public class FaceDetectionException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and on which input
   * @param cause the engine's error
   */
  public FaceDetectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
