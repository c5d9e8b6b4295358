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

  /**
   * The error for a device a backend does not have, worded the same everywhere: names the device,
   * the backend, the devices present and the fix.
   *
   * @param backend the backend's name
   * @param requested the device asked for
   * @param present the devices the backend has on this machine
   * @return the exception, to throw
   */
  public static DeviceUnavailableException notPresent(
      String backend, Device requested, java.util.Collection<Device> present) {
    return new DeviceUnavailableException(
        "Device " + requested + " is not available to the " + backend
            + " backend on this machine. Devices present: " + new java.util.TreeSet<>(present)
            + ". Use Device.AUTO to fall back to the CPU, or see docs/errors.md#device-unavailable");
  }
}
