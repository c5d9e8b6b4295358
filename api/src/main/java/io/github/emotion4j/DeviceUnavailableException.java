package io.github.emotion4j;

/**
 * The requested device (for example a GPU) is not present for the chosen backend. The message lists the devices that are.
 *
 * @since 0.1
 */
public class DeviceUnavailableException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, on which input, and how to fix it
   */
  public DeviceUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, on which input, and how to fix it
   * @param cause the underlying error
   */
  public DeviceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
