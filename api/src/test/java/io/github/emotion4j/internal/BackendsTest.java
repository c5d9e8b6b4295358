package io.github.emotion4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.fakes.UnavailableFakeBackend;
import io.github.emotion4j.spi.EmotionBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery with no usable backend at all. */
class BackendsTest {
  private static final String ADD_ONE = " Add one of io.github.emotion4j:emotion4j-backend-native, "
      + "io.github.emotion4j:emotion4j-backend-onnxruntime, io.github.emotion4j:emotion4j-backend-pytorch, "
      + "io.github.emotion4j:emotion4j-backend-tensorflow (emotion4j-backend-native needs no native code). "
      + "See docs/errors.md#no-backend";

  @Test
  void noBackendOnTheClassPath() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Backends.discover(List.<EmotionBackend>of()).select("auto"));
    assertEquals("No emotion4j backend is available. Available: none." + ADD_ONE, e.getMessage());
  }

  @Test
  void onlyUnavailableBackends() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Backends.discover(List.<EmotionBackend>of(new UnavailableFakeBackend())).select(null));
    assertEquals("No emotion4j backend is available. Available: none. Could not load: unavailable-fake ("
        + UnavailableFakeBackend.REASON + ")." + ADD_ONE, e.getMessage());
  }

  @Test
  void aBackendWhoseNameThrowsIsSkipped() {
    EmotionBackend bad = new UnavailableFakeBackend() {
      @Override
      public String name() {
        throw new UnsatisfiedLinkError("no jni in java.library.path");
      }
    };
    Backends found = Backends.discover(List.of(bad, new io.github.emotion4j.fakes.FakeBackend()));
    assertEquals("fake", found.select(null).name());
    assertEquals(1, found.candidates().size());
    assertEquals("Available: fake. Could not load: " + bad.getClass().getName()
        + " (UnsatisfiedLinkError: no jni in java.library.path).", found.describe());
  }
}
