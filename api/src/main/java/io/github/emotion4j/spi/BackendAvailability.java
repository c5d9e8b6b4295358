package io.github.emotion4j.spi;

import java.util.Objects;

/**
 * Whether a backend can run on this machine, and why not.
 *
 * @param available true if the backend can run
 * @param reason why it cannot (empty when it can)
 * @since 0.1
 */
public record BackendAvailability(boolean available, String reason) {
  /** Validates the values. */
  public BackendAvailability {
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * The backend can run.
   *
   * @return an available result
   */
  public static BackendAvailability yes() {
    return new BackendAvailability(true, "");
  }

  /**
   * The backend cannot run.
   *
   * @param reason why, and what to add or change
   * @return an unavailable result
   */
  public static BackendAvailability no(String reason) {
    return new BackendAvailability(false, reason);
  }
}
