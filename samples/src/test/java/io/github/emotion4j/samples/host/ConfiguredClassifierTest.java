package io.github.emotion4j.samples.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine comes from configuration: the same code runs on whichever backend a file names. */
class ConfiguredClassifierTest {
  @TempDir
  Path tmp;

  @Test
  void theBackendComesFromAPropertiesFile() throws IOException {
    Path model = tmp.resolve("m.zip");
    TestData.randomPreset(NetworkPreset.LENET, 3).save(model);
    Path config = Files.writeString(tmp.resolve("app.properties"), String.join("\n",
        "emotion.backend = pytorch", "emotion.model = " + model.toString().replace("\\", "/"),
        "emotion.device = cpu", "emotion.labels = 4", ""));
    try (EmotionClassifier c = ConfiguredClassifier.create(ConfiguredClassifier.load(config))) {
      assertEquals("pytorch", c.backend());
      assertEquals(Device.CPU, c.device());
      assertEquals(LabelSet.PAPER_FOUR, c.labels());
      assertEquals(4, c.classify(TestData.fer2013Sample("test", 1).get(3)).probabilities().size());
    }
  }

  @Test
  void anUnknownBackendNamesTheOnesThatExist() throws IOException {
    Path model = tmp.resolve("m.zip");
    TestData.randomPreset(NetworkPreset.LENET, 3).save(model);
    Properties p = new Properties();
    p.setProperty(ConfiguredClassifier.BACKEND, "nope");
    p.setProperty(ConfiguredClassifier.MODEL, model.toString());
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> ConfiguredClassifier.create(p));
    assertTrue(e.getMessage().startsWith("No emotion4j backend named \"nope\""), e.getMessage());
    assertTrue(e.getMessage().contains("pytorch"), e.getMessage());
  }

  @Test
  void blankKeysAreLeftToTheLibrary() {
    Properties p = new Properties();
    p.setProperty(ConfiguredClassifier.BACKEND, " ");
    ConfiguredClassifier.builder(p); // nothing parsed, nothing loaded
    p.setProperty(ConfiguredClassifier.DEVICE, "tpu");
    assertThrows(IllegalArgumentException.class, () -> ConfiguredClassifier.builder(p));
  }
}
