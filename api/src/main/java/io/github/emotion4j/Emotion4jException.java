package io.github.emotion4j;

/**
 * The parent of every error emotion4j raises. Unchecked, so that {@code classify} calls need no
 * wrapping; catch a subclass to handle one failure, or this type to handle them all.
 *
 * @since 0.1
 */
public class Emotion4jException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names the input and what was wrong.
   *
   * @param message what failed, on which input, and how to fix it
   */
  public Emotion4jException(String message) {
    super(message);
  }

  /**
   * Creates an exception that keeps its cause.
   *
   * @param message what failed, on which input, and how to fix it
   * @param cause the underlying error
   */
  public Emotion4jException(String message, Throwable cause) {
    super(message, cause);
  }
}
