package io.github.emotion4j;

/**
 * Where a backend runs the network.
 *
 * <p>{@link #CPU} is always present. {@link #GPU} fails with {@link DeviceUnavailableException} when
 * the backend sees no GPU; it never falls back silently. Only {@link #AUTO} falls back: it picks the
 * GPU when the backend sees one, else the CPU, and the classifier reports what it chose in
 * {@link EmotionClassifier#device()}.
 *
 * @since 0.1
 */
public enum Device {
  /** The host's processor cores. */
  CPU,
  /** A CUDA GPU visible to the backend's engine. */
  GPU,
  /** The GPU when the backend sees one, else the CPU. */
  AUTO;

  /**
   * Parses a device name, case-insensitively ({@code "cpu"}, {@code "gpu"}, {@code "auto"}).
   *
   * @param name the name
   * @return the device
   * @throws IllegalArgumentException if the name is none of them
   */
  public static Device parse(String name) {
    for (Device d : values()) {
      if (d.name().equalsIgnoreCase(name.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "Unknown device \"" + name + "\". Use one of: cpu, gpu, auto");
  }
}
