package io.github.emotion4j.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bring-your-own TorchScript: the fixture made by src/test/resources/torchscript/make_fixture.py. */
class TorchScriptTest {
  static final Path DIR = Path.of("src/test/resources/torchscript");
  static final Path MODEL = DIR.resolve("tiny.pt");
  static final Path SIDECAR = DIR.resolve("tiny.sidecar.json");

  @Test
  void logitsMatchWhatPyTorchComputedWhenTracing() throws Exception {
    ExternalModel external = ExternalModel.read(MODEL, SIDECAR);
    assertEquals(ExternalModel.TORCHSCRIPT, external.format());
    float[] input = new float[48 * 48];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) Math.sin(i * 0.01);
    }
    JsonArray expected = JsonParser.parseString(Files.readString(DIR.resolve("tiny.expected.json")))
        .getAsJsonObject().getAsJsonArray("logits");
    try (RunnableNetwork net = new PyTorchBackend().loadExternal(external, Device.CPU)) {
      float[] logits = net.logits(new InputBatch(input, 1, external.sidecar().input().shape()));
      for (int i = 0; i < 4; i++) {
        assertEquals(expected.get(i).getAsDouble(), logits[i], 1e-5, "logit " + i);
      }
    }
  }

  @Test
  void classifiesRealImagesThroughTheBuilder() {
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").device(Device.CPU)
        .externalModel(MODEL, SIDECAR).build()) {
      assertEquals("external", c.model().provenance().source());
      assertEquals(4, c.labels().size());
      for (Path p : TestData.fer2013Sample("test", 1)) {
        EmotionScores s = c.classify(p);
        assertEquals(1.0, s.probabilities().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
      }
    }
  }

  @Test
  void otherBackendsRefuseTorchScriptAndBadSidecarsAreClear(@TempDir Path tmp) throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"labels\": [\"a\", \"b\"]}");
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> ExternalModel.read(MODEL, bad));
    assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
    Path notTorch = tmp.resolve("x.pt");
    Files.writeString(notTorch, "not a torchscript file");
    ExternalModel broken = ExternalModel.read(notTorch, SIDECAR);
    ModelPackageException load = assertThrows(ModelPackageException.class,
        () -> new PyTorchBackend().loadExternal(broken, Device.CPU));
    assertTrue(load.getMessage().contains("x.pt"), load.getMessage());
  }
}
