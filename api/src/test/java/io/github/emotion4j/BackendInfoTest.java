package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.fakes.UnavailableFakeBackend;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public listing over the test backends of {@code io.github.emotion4j.fakes} (see {@link
 * BackendDiscoveryTest}): every instantiated backend in AUTO's order, with its availability, reason,
 * jar version and devices; the provider whose constructor throws is left out.
 */
class BackendInfoTest {
  private final List<BackendInfo> all = BackendInfo.list();
  private final Map<String, BackendInfo> byName =
      all.stream().collect(Collectors.toMap(BackendInfo::name, Function.identity()));

  @Test
  void listsEveryInstantiatedBackendBestRankFirst() {
    assertEquals(List.of("unavailable-fake", "old-spi", "fake", "fake-slow"),
        all.stream().map(BackendInfo::name).toList());
    assertEquals(List.of(1, 2, 5, 50), all.stream().map(BackendInfo::rank).toList());
  }

  @Test
  void saysWhyABackendCannotRun() {
    BackendInfo missing = byName.get("unavailable-fake");
    assertFalse(missing.available());
    assertEquals(UnavailableFakeBackend.REASON, missing.reason());
    assertEquals(Set.of(), missing.devices());
    assertFalse(byName.get("old-spi").available());
    assertTrue(byName.get("old-spi").reason().contains("SPI version 0"), byName.get("old-spi").reason());
  }

  @Test
  void givesAvailableBackendsTheirDevicesAndVersion() {
    BackendInfo slow = byName.get("fake-slow");
    assertTrue(slow.available());
    assertEquals("", slow.reason());
    assertEquals(Set.of(Device.CPU, Device.GPU), slow.devices());
    assertEquals(Set.of(Device.CPU), byName.get("fake").devices());
    // The fakes run from target/test-classes, outside a jar: no manifest version.
    assertEquals("dev", slow.version());
    assertEquals("fake-slow dev (rank 50, available)", slow.toString());
  }
}
