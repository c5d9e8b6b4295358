package io.github.emotion4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AUTO prefers the GPU and falls back; a concrete device is taken as asked or refused. */
class DeviceResolverTest {
  @Test
  void autoTakesTheGpuWhenThereIsOneElseTheCpu() {
    assertEquals(Device.GPU, DeviceResolver.resolve("b", Set.of(Device.CPU, Device.GPU), Device.AUTO));
    assertEquals(Device.CPU, DeviceResolver.resolve("b", Set.of(Device.CPU), Device.AUTO));
  }

  @Test
  void aConcreteDeviceIsTakenAsAskedOrRefused() {
    assertEquals(Device.CPU, DeviceResolver.resolve("b", Set.of(Device.CPU, Device.GPU), Device.CPU));
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> DeviceResolver.resolve("cpu-only", Set.of(Device.CPU), Device.GPU));
    assertTrue(e.getMessage().contains("cpu-only"), e.getMessage());
  }
}
