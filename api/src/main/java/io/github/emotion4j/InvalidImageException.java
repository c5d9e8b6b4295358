package io.github.emotion4j;

/**
 * An image could not be used: empty, truncated, not an image, in an unsupported format, or larger than the configured pixel bound.
 *
 * @since 0.1
 */
public class InvalidImageException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on which input, and how to fix it
   */
  public InvalidImageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, on which input, and how to fix it
   * @param cause the underlying error
   */
  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
