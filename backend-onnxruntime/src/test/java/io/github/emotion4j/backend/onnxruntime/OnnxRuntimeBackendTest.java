package io.github.emotion4j.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What the shared suite does not cover: the service class, the export cache, misuse. */
class OnnxRuntimeBackendTest {
  private final EmotionBackend backend = new OnnxRuntimeBackend();

  @Test
  void theServiceClassIsCheapAndDescribesItself() {
    assertEquals("onnxruntime", backend.name());
    assertEquals(20, backend.rank());
    assertEquals(EmotionBackend.SPI_VERSION, backend.spiVersion());
    assertTrue(backend.availability().available(), backend.availability().reason());
    assertTrue(backend.devices().contains(Device.CPU));
    assertFalse(backend.devices().contains(Device.AUTO));
    assertFalse(OnnxRuntimeBackend.gpuBuildPresent(), "this module's tests use the CPU build");
  }

  @Test
  void exportsAreCachedByContentAndABrokenCacheFileIsRedone() throws Exception {
    ModelPackage model = TestData.randomPreset(NetworkPreset.LENET, 99);
    Path cached = OnnxCache.dir().resolve(OnnxCache.fileName(model));
    Files.deleteIfExists(cached);
    float[] data = TestData.preprocessed(model, TestData.fer2013Sample("val", 1));
    InputBatch batch = new InputBatch(data, 7, model.input().shape());
    float[] first;
    try (RunnableNetwork net = backend.load(model, Device.CPU)) {
      first = net.logits(batch);
    }
    assertTrue(cached.startsWith(Path.of(System.getProperty("emotion4j.cache.dir")).resolve("onnx")),
        cached.toString());
    assertArrayEquals(OnnxExporter.export(model), Files.readAllBytes(cached));
    assertTrue(cached.getFileName().toString().startsWith(
        "test-lenet-" + model.metadata().weightsSha256().substring(0, 16) + "-"));

    Files.write(cached, new byte[] {1, 2, 3}); // a truncated or tampered file
    try (RunnableNetwork net = backend.load(model, Device.CPU)) {
      assertArrayEquals(first, net.logits(batch));
    }
    assertArrayEquals(OnnxExporter.export(model), Files.readAllBytes(cached));

    ModelPackage renamed = model.withName("other-name", "9");
    assertFalse(OnnxCache.fileName(model).equals(OnnxCache.fileName(renamed)),
        "metadata is part of the key");
  }

  @Test
  void misuseGivesClearErrors() {
    ModelPackage model = TestData.randomPreset(NetworkPreset.LENET, 5);
    assertThrows(IllegalArgumentException.class, () -> backend.load(model, Device.AUTO));
    RunnableNetwork net = backend.load(model, Device.CPU);
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> net.logits(new InputBatch(new float[3 * 48 * 48], 1, FeatureShape.map(3, 48, 48))));
    assertEquals("batch images are [3x48x48] but model \"test-lenet\" 0.0.1-test takes [1x48x48]",
        wrong.getMessage());
    net.close();
    net.close(); // idempotent
    IllegalStateException closed = assertThrows(IllegalStateException.class,
        () -> net.logits(new InputBatch(new float[48 * 48], 1, model.input().shape())));
    assertTrue(closed.getMessage().endsWith("on ONNX Runtime is closed"), closed.getMessage());
  }

  @Test
  void loadingOnAMissingGpuIsADeviceError() {
    Assumptions.assumeFalse(backend.devices().contains(Device.GPU), "a GPU is present");
    ModelPackage model = TestData.randomPreset(NetworkPreset.LENET, 5);
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> backend.load(model, Device.GPU));
    assertEquals("Device GPU is not available to the onnxruntime backend on this machine. Devices "
        + "present: [CPU]. Use Device.AUTO to fall back to the CPU, or see "
        + "docs/errors.md#device-unavailable", e.getMessage());
  }

  @Test
  void manyThreadsShareOneSession() throws Exception {
    ModelPackage model = TestData.randomPreset(NetworkPreset.LENET, 8);
    float[] data = TestData.preprocessed(model, TestData.fer2013Sample("test", 1));
    InputBatch batch = new InputBatch(data, 7, model.input().shape());
    try (RunnableNetwork net = backend.load(model, Device.CPU)) {
      float[] expected = net.logits(batch);
      List<Thread> threads = new java.util.ArrayList<>();
      java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
          new java.util.concurrent.ConcurrentLinkedQueue<>();
      for (int t = 0; t < 8; t++) {
        Thread thread = new Thread(() -> {
          try {
            for (int i = 0; i < 20; i++) {
              assertArrayEquals(expected, net.logits(batch));
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertTrue(failures.isEmpty(), failures.toString());
    }
  }
}
