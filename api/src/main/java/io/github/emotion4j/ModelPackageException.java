package io.github.emotion4j;

/**
 * A model package is malformed: unreadable metadata, an unknown format version or layer type, weights that do not match their sha256 or the layer list, or a zip entry that escapes its folder.
 *
 * @since 0.1
 */
public class ModelPackageException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on which input, and how to fix it
   */
  public ModelPackageException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, on which input, and how to fix it
   * @param cause the underlying error
   */
  public ModelPackageException(String message, Throwable cause) {
    super(message, cause);
  }
}
