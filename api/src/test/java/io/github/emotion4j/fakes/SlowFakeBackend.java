package io.github.emotion4j.fakes;

import io.github.emotion4j.Device;
import java.util.Set;

/** A second working test backend, "fake-slow", rank 50, that reports a GPU as well as the CPU. */
public class SlowFakeBackend extends FakeBackend {
  @Override
  public String name() {
    return "fake-slow";
  }

  @Override
  public int rank() {
    return 50;
  }

  @Override
  public Set<Device> devices() {
    return Set.of(Device.CPU, Device.GPU);
  }
}
