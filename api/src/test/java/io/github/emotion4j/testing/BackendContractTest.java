package io.github.emotion4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite every backend passes: subclass it in the backend's module and name the backend. Logits
 * are compared with {@link ReferenceNetwork} on real images, within {@link #TOLERANCE} relative to
 * the logit scale: {@code |a - b| <= TOLERANCE * max(1, max |reference logit|)}.
 */
public abstract class BackendContractTest {
  /** Parity tolerance, relative to the logit scale (absolute for logits within [-1, 1]). */
  public static final double TOLERANCE = 1e-4;

  /** The backend's name, as registered. */
  protected abstract String backendName();

  /** Images for parity checks in the default test run; subclasses may use more in slow runs. */
  protected List<Path> parityImages() {
    List<Path> images = new ArrayList<>(TestData.fer2013Sample("test", 2));
    images.addAll(TestData.otherFacesSample(4));
    return images;
  }

  /** The backend instance, found through ServiceLoader as hosts find it. */
  protected EmotionBackend backend() {
    for (EmotionBackend b : ServiceLoader.load(EmotionBackend.class)) {
      if (b.name().equals(backendName())) {
        return b;
      }
    }
    throw new AssertionError("backend " + backendName() + " is not registered");
  }


  @ParameterizedTest
  @EnumSource(NetworkPreset.class)
  void presetLogitsMatchTheReferenceOnRealImages(NetworkPreset preset) {
    ModelPackage model = TestData.randomPreset(preset, 42);
    List<Path> images = parityImages();
    float[] data = TestData.preprocessed(model, images);
    try (RunnableNetwork net = backend().load(model, Device.CPU)) {
      float[] logits = net.logits(new InputBatch(data, images.size(), model.input().shape()));
      assertEquals(images.size() * model.labels().size(), logits.length);
      ReferenceNetwork.assertMatches(model, data, logits, images.size());
    }
  }

  @Test
  void batchSizeDoesNotChangeResults() {
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 7);
    List<Path> images = TestData.fer2013Sample("val", 1);
    float[] data = TestData.preprocessed(model, images);
    int size = model.input().imageSize();
    int labels = model.labels().size();
    try (RunnableNetwork net = backend().load(model, Device.CPU)) {
      float[] batch = net.logits(new InputBatch(data, images.size(), model.input().shape()));
      for (int i = 0; i < images.size(); i++) {
        float[] one = net.logits(new InputBatch(
            java.util.Arrays.copyOfRange(data, i * size, (i + 1) * size), 1, model.input().shape()));
        for (int j = 0; j < labels; j++) {
          assertEquals(batch[i * labels + j], one[j], 1e-5 * Math.max(1, Math.abs(one[j])),
              "image " + i + " alone vs in a batch");
        }
      }
    }
  }

  @Test
  void classifiesRealImagesEndToEnd() {
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 3);
    List<Path> images = TestData.fer2013Sample("test", 1);
    try (EmotionClassifier c = EmotionClassifier.builder().backend(backendName()).device(Device.CPU)
        .model(model).build()) {
      assertEquals(backendName(), c.backend());
      assertEquals(Device.CPU, c.device());
      List<EmotionScores> scores = c.classifyFiles(images);
      assertEquals(images.size(), scores.size());
      float[] data = TestData.preprocessed(model, images);
      for (int i = 0; i < images.size(); i++) {
        double sum = scores.get(i).probabilities().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, sum, 1e-9);
        assertArrayEquals(
            scores.get(i).probabilities().stream().mapToDouble(Double::doubleValue).toArray(),
            c.classify(images.get(i)).probabilities().stream().mapToDouble(Double::doubleValue).toArray(),
            1e-5, "single vs batch call (engines may round batched kernels differently)");
        double[] ref = ReferenceNetwork.logits(model,
            java.util.Arrays.copyOfRange(data, i * 2304, (i + 1) * 2304));
        int refTop = 0;
        for (int j = 1; j < ref.length; j++) {
          refTop = ref[j] > ref[refTop] ? j : refTop;
        }
        assertEquals(model.labels().get(refTop), scores.get(i).top().label());
      }
    }
  }

  @Test
  void everyImageFormatGivesTheTopLabelOfThePng() {
    // The bundled model on one face in every format: WebP (lossy, lossless, alpha, and one named
    // .jpg), CMYK and progressive JPEG, 16-bit, palette and alpha PNG, BMP, GIF.
    try (EmotionClassifier c = EmotionClassifier.builder().backend(backendName()).device(Device.CPU).build()) {
      EmotionScores png = c.classify(TestData.imageFormat("face.png"));
      assertEquals("happy", png.top().label(), "the reference face is a clear smile: " + png);
      for (String name : TestData.IMAGE_FORMATS) {
        EmotionScores scores = c.classify(TestData.imageFormat(name));
        assertEquals(png.top().label(), scores.top().label(), name + ": " + scores);
        assertEquals(png.top().probability(), scores.top().probability(), 0.05, name);
      }
    }
  }

  @Test
  void eightThreadsGiveTheSameScoresAsOne() throws Exception {
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 11);
    List<Path> images = TestData.fer2013Sample("test", threadTestImagesPerLabel());
    try (EmotionClassifier c = EmotionClassifier.builder().backend(backendName()).device(Device.CPU)
        .model(model).batchSize(8).build()) {
      List<EmotionScores> sequential = new ArrayList<>();
      for (Path p : images) {
        sequential.add(c.classify(p));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<EmotionScores>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(pool.submit(() -> {
            List<EmotionScores> out = new ArrayList<>();
            for (Path p : images) {
              out.add(c.classify(p));
            }
            return out;
          }));
        }
        for (Future<List<EmotionScores>> f : futures) {
          List<EmotionScores> got = f.get();
          for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(
                sequential.get(i).probabilities().stream().mapToDouble(Double::doubleValue).toArray(),
                got.get(i).probabilities().stream().mapToDouble(Double::doubleValue).toArray(),
                0.0, "image " + i + " differs between threads");
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Close under load: 8 threads call the network until it refuses them; close() comes once every
   * thread has had a result. Every call begun before close() finishes with whole logits (no engine
   * error such as a released native resource), and every call begun after close() returned gets
   * the api's closed error.
   */
  @Test
  void closeDuringEightThreadsOfCallsLetsThemFinishThenRefuses() throws Exception {
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 12);
    RunnableNetwork net = backend().load(model, Device.CPU);
    InputBatch batch = new InputBatch(new float[4 * model.metadata().input().imageSize()], 4,
        model.metadata().input().shape());
    int expected = 4 * model.metadata().labels().size();
    CountDownLatch eachRan = new CountDownLatch(8);
    AtomicBoolean closeCalled = new AtomicBoolean();
    AtomicBoolean closeReturned = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          int finished = 0;
          while (true) {
            boolean beforeClose = !closeCalled.get();
            boolean afterClose = closeReturned.get();
            float[] logits;
            try {
              logits = net.logits(batch);
            } catch (IllegalStateException e) {
              // A call begun before close() must finish: DJL's "NDManager has been closed already."
              // on a running call is the bug this test is for.
              assertFalse(beforeClose, "a call in flight failed: " + e);
              assertTrue(e.getMessage().contains("closed"), e.getMessage());
              return finished;
            }
            assertFalse(afterClose, "a call begun after close() returned ran");
            assertEquals(expected, logits.length);
            if (finished++ == 0) {
              eachRan.countDown();
            }
          }
        }));
      }
      eachRan.await();
      closeCalled.set(true);
      net.close();
      closeReturned.set(true);
      for (Future<Integer> f : futures) {
        assertTrue(f.get() >= 1); // an engine error in a running call fails here
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.logits(batch));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      net.close(); // a second close does nothing
    } finally {
      pool.shutdownNow();
    }
  }

  /** Images per label for the thread test: 8 threads × 203 images (7 labels × 29). */
  protected int threadTestImagesPerLabel() {
    return 29;
  }

  @Test
  void gpuIsAnExplicitErrorWhenAbsent() {
    EmotionBackend b = backend();
    if (b.devices().contains(Device.GPU)) {
      return; // a machine with a GPU: nothing to refuse
    }
    assertTrue(b.devices().contains(Device.CPU));
    ModelPackage model = TestData.randomPreset(NetworkPreset.LENET, 1);
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> EmotionClassifier.builder().backend(backendName()).device(Device.GPU).model(model).build());
    assertTrue(e.getMessage().contains("Device GPU is not available to the " + backendName()), e.getMessage());
    assertTrue(e.getMessage().contains("Devices present: [CPU]"), e.getMessage());
    try (EmotionClassifier c = EmotionClassifier.builder().backend(backendName()).device(Device.AUTO)
        .model(model).build()) {
      assertEquals(Device.CPU, c.device());
    }
    assertFalse(b.availability().reason().contains("Exception"), "available backends give no reason");
  }
}
