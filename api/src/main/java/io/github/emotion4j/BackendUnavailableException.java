package io.github.emotion4j;

/**
 * No backend of the requested name can run here, or none at all. The message lists the backends found, those that failed to load and why, and the artifact to add.
 *
 * @since 0.1
 */
public class BackendUnavailableException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on which input, and how to fix it
   */
  public BackendUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, on which input, and how to fix it
   * @param cause the underlying error
   */
  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
