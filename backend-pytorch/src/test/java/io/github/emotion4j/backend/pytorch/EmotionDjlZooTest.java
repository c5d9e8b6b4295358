package io.github.emotion4j.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.inference.Predictor;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.zoo.ZooConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL's own Criteria finds and runs an emotion4j model through the registered zoo, offline. */
class EmotionDjlZooTest {
  private static final String NAME = "fer2013-djl-test";
  private static final List<String> KEYS = List.of(ZooConfig.DIR_PROPERTY, ZooConfig.CACHE_PROPERTY,
      ZooConfig.OFFLINE_PROPERTY, ZooConfig.URL_PROPERTY);

  @TempDir Path tmp;
  private final Map<String, String> saved = new HashMap<>();
  private ModelPackage v1;
  private ModelPackage v2;

  @BeforeEach
  void registerATestModel() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("models"));
    v1 = TestData.randomPreset(NetworkPreset.LENET, 11).withName(NAME, "1.0.0");
    v2 = TestData.randomPreset(NetworkPreset.LENET, 12).withName(NAME, "2.0.0");
    v1.save(dir.resolve(NAME + "-1.0.0.zip"));
    v2.save(dir.resolve(NAME + "-2.0.0.zip"));
    io.github.emotion4j.zoo.ModelZoo.writeIndex(dir);
    for (String k : KEYS) {
      saved.put(k, System.getProperty(k));
    }
    System.setProperty(ZooConfig.DIR_PROPERTY, dir.toString());
    System.setProperty(ZooConfig.CACHE_PROPERTY, tmp.resolve("cache").toString());
    System.setProperty(ZooConfig.OFFLINE_PROPERTY, "true");
    System.setProperty(ZooConfig.URL_PROPERTY, "");
  }

  @AfterEach
  void restore() {
    saved.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }

  private static Criteria.Builder<Image, Classifications> criteria() {
    return Criteria.builder().setTypes(Image.class, Classifications.class)
        .optGroupId("io.github.emotion4j").optArtifactId(NAME).optEngine("PyTorch");
  }

  private static BufferedImage face() {
    BufferedImage img = new BufferedImage(64, 60, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int v = (x * 7 + y * 13 + (x * y) % 31) & 0xff;
        img.setRGB(x, y, (v << 16) | (((v * 3) & 0xff) << 8) | (255 - v));
      }
    }
    return img;
  }

  @Test
  void criteriaFindsAndRunsTheModelLikeTheClassifier() throws Exception {
    assertNotNull(ModelZoo.getModelZoo("io.github.emotion4j"), "the ZooProvider is registered");
    BufferedImage img = face();
    Classifications djl;
    try (ZooModel<Image, Classifications> model = criteria().optFilter("version", "1.0.0")
            .optFilter("labels", "fer2013").build().loadModel();
        Predictor<Image, Classifications> predictor = model.newPredictor()) {
      assertEquals(NAME + ":1.0.0", model.getProperty("emotion4j.model"));
      djl = predictor.predict(ImageFactory.getInstance().fromImage(img));
    }
    EmotionScores expected;
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").model(v1).build()) {
      expected = c.classify(img);
    }
    assertEquals(expected.labels().labels(), djl.getClassNames());
    for (int i = 0; i < expected.probabilities().size(); i++) {
      assertEquals(expected.probabilities().get(i), djl.getProbabilities().get(i), 1e-5,
          djl.getClassNames().get(i));
    }
  }

  @Test
  void withoutAVersionTheHighestIsUsed() throws Exception {
    try (ZooModel<Image, Classifications> model = criteria().build().loadModel()) {
      assertEquals(NAME + ":2.0.0", model.getProperty("emotion4j.model"));
      assertEquals("LOCAL_DIRECTORY", model.getProperty("emotion4j.source"));
    }
  }

  @Test
  void filtersThatMatchNothingSayWhatExists() {
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> criteria().optFilter("version", "9.9").build().loadModel());
    String cause = e.getCause().getMessage();
    assertTrue(cause.startsWith("No emotion4j model \"" + NAME + "\" matches {version=9.9}. Versions"
        + " that exist: 1.0.0 (labels fer2013"), cause);
    assertThrows(ModelNotFoundException.class,
        () -> criteria().optFilter("architecture", "resnet").build().loadModel());
    assertThrows(ModelNotFoundException.class,
        () -> criteria().optArtifactId("no-such-model").build().loadModel());
  }

  @Test
  void modelsAreListedThroughDjl() {
    Map<Application, List<MRL>> models = ModelZoo.listModels(criteria().build());
    List<MRL> mrls = models.get(Application.CV.IMAGE_CLASSIFICATION);
    assertNotNull(mrls, models.toString());
    assertEquals(List.of("djl://io.github.emotion4j/" + NAME),
        mrls.stream().map(MRL::toString).toList());
  }
}
