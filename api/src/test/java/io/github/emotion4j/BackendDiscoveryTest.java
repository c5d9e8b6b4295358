package io.github.emotion4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.fakes.FakeBackend;
import io.github.emotion4j.fakes.UnavailableFakeBackend;
import io.github.emotion4j.internal.Backends;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.zoo.ModelNotFoundException;
import io.github.emotion4j.zoo.ModelZoo;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Assumptions;

/**
 * Discovery through META-INF/services with the test backends of {@code io.github.emotion4j.fakes}:
 * "fake" (rank 5) and "fake-slow" (rank 50, CPU and GPU) work; "unavailable-fake" (rank 1) cannot
 * run; "old-spi" has another SPI version; ThrowingFakeBackend's constructor throws. Error texts are
 * API, so they are asserted verbatim.
 */
class BackendDiscoveryTest {
  private static final ModelPackage MODEL = TestData.randomPreset(NetworkPreset.LENET, 1);

  /** What every message lists after "Available: ...". */
  private static final String FOUND =
      "Available: fake, fake-slow. Could not load: unavailable-fake (" + UnavailableFakeBackend.REASON
          + "); old-spi (it implements SPI version 0 but this emotion4j-api has 1; use matching "
          + "emotion4j versions); io.github.emotion4j.fakes.ThrowingFakeBackend (IllegalStateException: "
          + "could not load libthrowing.so).";

  @BeforeAll
  static void noBackendChosenByTheEnvironment() {
    Assumptions.assumeTrue(System.getenv(Backends.BACKEND_ENV) == null,
        Backends.BACKEND_ENV + " is set in this environment; it would override AUTO");
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(Backends.BACKEND_PROPERTY);
  }

  private static EmotionClassifier build(String backend) {
    EmotionClassifierBuilder b = EmotionClassifier.builder().model(MODEL);
    return backend == null ? b.build() : b.backend(backend).build();
  }

  @Test
  void findsTheFakeByName() {
    try (EmotionClassifier c = build("fake")) {
      assertEquals("fake", c.backend());
      assertEquals(Device.CPU, c.device());
      assertEquals(MODEL.metadata(), c.model());
    }
  }

  @Test
  void namesAreCaseInsensitive() {
    try (EmotionClassifier c = build(" FaKe-SLOW ")) {
      assertEquals("fake-slow", c.backend());
    }
  }

  @Test
  void systemPropertyChoosesWhenTheBuilderDoesNot() {
    System.setProperty(Backends.BACKEND_PROPERTY, "Fake-Slow");
    try (EmotionClassifier c = build(null)) {
      assertEquals("fake-slow", c.backend());
    }
    try (EmotionClassifier c = build("fake")) {
      assertEquals("fake", c.backend(), "the builder wins over the property");
    }
  }

  @Test
  void autoTakesTheLowestRankAmongAvailableBackends() {
    // unavailable-fake (1) and old-spi (2) rank better but cannot run: fake (5) is chosen.
    try (EmotionClassifier c = build(null)) {
      assertEquals("fake", c.backend());
    }
    try (EmotionClassifier c = build("AUTO")) {
      assertEquals("fake", c.backend());
    }
    System.setProperty(Backends.BACKEND_PROPERTY, "auto");
    try (EmotionClassifier c = build(null)) {
      assertEquals("fake", c.backend());
    }
  }

  @Test
  void unknownNameListsWhatExists() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> build("tensorflow"));
    assertEquals("No emotion4j backend named \"tensorflow\" can run here (asked by the builder). " + FOUND
        + " Add io.github.emotion4j:emotion4j-backend-tensorflow. See docs/errors.md#backend-not-found",
        e.getMessage());
    BackendUnavailableException other = assertThrows(BackendUnavailableException.class, () -> build("caffe"));
    assertEquals("No emotion4j backend named \"caffe\" can run here (asked by the builder). " + FOUND
        + " Add a backend named \"caffe\". See docs/errors.md#backend-not-found", other.getMessage());
  }

  @Test
  void aMisspeltNameGetsADidYouMean() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> build("fkae"));
    assertEquals("No emotion4j backend named \"fkae\" can run here (asked by the builder). Did you mean "
        + "\"fake\"? " + FOUND + " See docs/errors.md#backend-not-found", e.getMessage());
    BackendUnavailableException known = assertThrows(BackendUnavailableException.class, () -> build("pytorh"));
    assertTrue(known.getMessage().contains("Did you mean \"pytorch\"? "), known.getMessage());
    BackendUnavailableException far = assertThrows(BackendUnavailableException.class, () -> build("tflite"));
    assertFalse(far.getMessage().contains("Did you mean"), far.getMessage());
  }

  @Test
  void unknownNameFromThePropertySaysWhereItCameFrom() {
    System.setProperty(Backends.BACKEND_PROPERTY, "PyTorch");
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> build(null));
    assertEquals("No emotion4j backend named \"pytorch\" can run here (asked by system property "
        + "emotion4j.backend). " + FOUND + " Add io.github.emotion4j:emotion4j-backend-pytorch. "
        + "See docs/errors.md#backend-not-found", e.getMessage());
  }

  @Test
  void presentButUnusableBackendsAreRefusedWithTheirReason() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> build("unavailable-fake"));
    assertEquals("No emotion4j backend named \"unavailable-fake\" can run here (asked by the builder). " + FOUND
        + " See docs/errors.md#backend-not-found", e.getMessage());
    BackendUnavailableException old = assertThrows(BackendUnavailableException.class, () -> build("old-spi"));
    assertTrue(old.getMessage().contains("old-spi (it implements SPI version 0 but this emotion4j-api has 1"),
        old.getMessage());
  }

  @Test
  void gpuOnACpuOnlyBackendNamesTheDevicesPresent() {
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> EmotionClassifier.builder().model(MODEL).backend("fake").device(Device.GPU).build());
    assertEquals("Device GPU is not available to the fake backend on this machine. Devices present: [CPU]. "
        + "Use Device.AUTO to fall back to the CPU, or see docs/errors.md#device-unavailable", e.getMessage());
  }

  @Test
  void autoDevicePicksTheCpuOnACpuOnlyBackendAndTheGpuWhenPresent() {
    try (EmotionClassifier c = EmotionClassifier.builder().model(MODEL).backend("fake").device(Device.AUTO).build()) {
      assertEquals(Device.CPU, c.device());
    }
    try (EmotionClassifier c = EmotionClassifier.builder().model(MODEL).backend("fake-slow").build()) {
      assertEquals(Device.GPU, c.device(), "AUTO is the default and prefers a GPU the backend has");
    }
    try (EmotionClassifier c = EmotionClassifier.builder().model(MODEL).backend("fake-slow").device(Device.CPU).build()) {
      assertEquals(Device.CPU, c.device());
    }
  }

  @Test
  void classifiesRealImagesThroughTheFake() {
    List<Path> files = TestData.fer2013Sample("test", 1);
    int openBefore = FakeBackend.OPEN.get();
    EmotionClassifier c = EmotionClassifier.builder().model(MODEL).backend("fake").batchSize(3).build();
    List<EmotionScores> batch = c.classifyFiles(files);
    assertEquals(files.size(), batch.size());
    for (int i = 0; i < files.size(); i++) {
      assertEquals(batch.get(i), c.classify(files.get(i)), "batch and single calls agree");
    }
    // The fake scores label j as j * mean: a white image favours "surprise", a black one "angry".
    BufferedImage white = new BufferedImage(60, 60, BufferedImage.TYPE_INT_RGB);
    white.getGraphics().fillRect(0, 0, 60, 60);
    assertEquals("surprise", c.classify(white).top().label());
    assertEquals("angry", c.classify(new BufferedImage(60, 60, BufferedImage.TYPE_INT_RGB)).top().label());
    assertEquals("surprise", c.classify(white, new FaceBox(50, 50, 20, 20)).top().label());
    assertThrows(InvalidImageException.class, () -> c.classify(white, new FaceBox(-10, -10, 5, 5)));
    int closesBefore = FakeBackend.CLOSE_CALLS.get();
    c.close();
    assertEquals(openBefore, FakeBackend.OPEN.get(), "close releases the network");
    c.close();
    assertEquals(closesBefore + 1, FakeBackend.CLOSE_CALLS.get(), "closing twice closes the network once");
    assertThrows(IllegalStateException.class, () -> c.classify(white));
  }

  @Test
  void labelViewAndBadFilesInABatch(@TempDir Path dir) throws Exception {
    try (EmotionClassifier c = EmotionClassifier.builder().model(MODEL).backend("fake")
        .labels(LabelSet.PAPER_FOUR).build()) {
      assertEquals(LabelSet.PAPER_FOUR, c.labels());
      EmotionScores s = c.classify(TestData.fer2013Sample("test", 1).get(0));
      assertEquals(LabelSet.PAPER_FOUR, s.labels());
      List<Path> files = new ArrayList<>(TestData.fer2013Sample("test", 1));
      Path broken = java.nio.file.Files.writeString(dir.resolve("broken.jpg"), "text");
      files.add(2, broken);
      InvalidImageException e = assertThrows(InvalidImageException.class, () -> c.classifyFiles(files));
      assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }
    ModelPackage four = TestData.randomPackage("four", MODEL.input(), NetworkPreset.LENET.layers(4),
        LabelSet.PAPER_FOUR, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmotionClassifier.builder().model(four).backend("fake").labels(LabelSet.FER2013).build());
    assertTrue(e.getMessage().startsWith("Cannot view model \"four\""), e.getMessage());
  }

  @Test
  void unknownModelNameAndMissingModelPath(@TempDir Path dir) {
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> EmotionClassifier.builder().backend("fake").model("no-such-model")
            .zoo(ModelZoo.builder().classLoader(new java.net.URLClassLoader(new java.net.URL[0], null))
                .url(null).localDirectory(null).offline(false)
                .cacheDirectory(dir.resolve("cache")).build())
            .build());
    assertEquals("No model \"no-such-model\" in the emotion4j model zoo. Looked in the class path"
        + " (io/github/emotion4j/models/index.json), the cache " + dir.resolve("cache")
        + ". Models that exist: none. Check the name (\"name\" or \"name:version\"), pass a package"
        + " with model(Path), or set a mirror with -Demotion4j.zoo.url=https://..."
        + " (EMOTION4J_ZOO_URL). See docs/ZOO.md#model-not-found", e.getMessage());
    Path missing = dir.resolve("missing.zip");
    ModelPackageException p = assertThrows(ModelPackageException.class,
        () -> EmotionClassifier.builder().backend("fake").model(missing).build());
    assertTrue(p.getMessage().startsWith("No model package at " + missing), p.getMessage());
  }
}
