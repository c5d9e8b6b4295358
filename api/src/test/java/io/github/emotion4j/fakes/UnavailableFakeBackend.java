package io.github.emotion4j.fakes;

import io.github.emotion4j.spi.BackendAvailability;

/** A test backend that cannot run here; its rank (1) is the best, so AUTO must skip it. */
public class UnavailableFakeBackend extends FakeBackend {
  /** The reason it gives. */
  public static final String REASON = "libfake.so is not installed; add io.github.fake:fake-natives";

  @Override
  public String name() {
    return "unavailable-fake";
  }

  @Override
  public int rank() {
    return 1;
  }

  @Override
  public BackendAvailability availability() {
    return BackendAvailability.no(REASON);
  }
}
