package io.github.emotion4j.spi;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import java.util.Objects;
import java.util.Set;

/**
 * The one rule that turns a requested {@link Device} into a concrete one: {@link Device#AUTO} takes
 * the GPU when the backend has one, else the CPU; CPU and GPU are taken as asked or refused. Only
 * AUTO falls back. The classifier builder applies it before a backend's {@code load} is called;
 * code that loads a network outside the builder applies it too, so no backend decides AUTO itself.
 *
 * @since 0.1
 */
public final class DeviceResolver {
  private DeviceResolver() {}

  /**
   * Maps a requested device to one the backend has.
   *
   * @param backend the backend's name, for the error
   * @param present the backend's {@link EmotionBackend#devices()}
   * @param requested the host's choice
   * @return {@link Device#CPU} or {@link Device#GPU}
   * @throws DeviceUnavailableException listing the devices present, if a concrete device is missing
   */
  public static Device resolve(String backend, Set<Device> present, Device requested) {
    Objects.requireNonNull(requested, "requested");
    if (requested == Device.AUTO) {
      return present.contains(Device.GPU) ? Device.GPU : Device.CPU;
    }
    if (!present.contains(requested)) {
      throw DeviceUnavailableException.notPresent(backend, requested, present);
    }
    return requested;
  }
}
