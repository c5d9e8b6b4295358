package io.github.emotion4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one sidecar format every engine's bring-your-own model is described by. */
class ModelSidecarTest {
  @TempDir
  Path tmp;

  @Test
  void everyFieldSurvivesWritingAndReading() throws Exception {
    InputContract rgb = new InputContract(3, 64, 56, List.of(0.4, 0.5, 0.6), List.of(0.2, 0.25, 0.3),
        InputContract.BILINEAR);
    ModelSidecar full = ModelSidecar.of("keras.net-2", "7", LabelSet.PAPER_FOUR, rgb)
        .withLayout(ModelSidecar.Layout.NHWC).withOutput(ModelSidecar.OutputKind.PROBABILITIES)
        .withTensorNames("image", "probs").withSignature("classify");
    Path file = tmp.resolve("net.json");
    full.write(file);
    assertEquals(full, ModelSidecar.read(file));
    String json = Files.readString(file);
    assertTrue(json.contains("\"layout\": \"NHWC\"") && json.contains("\"kind\": \"probabilities\""), json);
  }

  @Test
  void aMinimalHandWrittenSidecarGetsTheDocumentedDefaults() {
    ModelSidecar s = ModelSidecar.parse("""
        {"labels": ["angry", "happy"],
         "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5]}}
        """, "minimal.json");
    assertEquals(new ModelSidecar("external-model", "unknown", new LabelSet("custom", List.of("angry", "happy")),
        new InputContract(1, 48, 48, List.of(0.5), List.of(0.5), InputContract.AREA),
        ModelSidecar.Layout.NCHW, ModelSidecar.OutputKind.LOGITS, "", "", ""), s);
  }

  @Test
  void invalidSidecarsNameTheSourceAndTheField(@TempDir Path dir) {
    String input = "\"input\": {\"channels\": 1, \"height\": 48, \"width\": 48, \"mean\": [0.5], \"std\": [0.5]";
    assertEquals("Sidecar a.json lacks the field \"labels\"",
        message("{" + input + "}}", "a.json"));
    assertEquals("Sidecar b.json lacks the field \"input.std\"",
        message("{\"labels\": [\"x\", \"y\"], \"input\": {\"channels\": 1, \"height\": 48, \"width\": 48, \"mean\": [0.5]}}",
            "b.json"));
    assertEquals("Sidecar c.json: output.kind is \"scores\"; use one of [logits, probabilities]",
        message("{\"labels\": [\"x\", \"y\"], " + input + "}, \"output\": {\"kind\": \"scores\"}}", "c.json"));
    assertEquals("Sidecar d.json has format-version 2; this emotion4j reads versions 1 to 1. Upgrade "
        + "emotion4j to read it.", message("{\"format-version\": 2, \"labels\": [\"x\", \"y\"], " + input + "}}", "d.json"));
    assertTrue(message("{\"name\": \"my net\", \"labels\": [\"x\", \"y\"], " + input + "}}", "e.json")
        .startsWith("Sidecar e.json is invalid: model name must be letters, digits"));
    assertTrue(message("[1, 2]", "f.json").startsWith("Sidecar f.json is not a JSON object"));
    ModelPackageException missing = assertThrows(ModelPackageException.class,
        () -> ModelSidecar.read(dir.resolve("none.json")));
    assertTrue(missing.getMessage().startsWith("Could not read the model sidecar " + dir.resolve("none.json")),
        missing.getMessage());
  }

  @Test
  void anExternalModelTellsItsFormatFromTheFileAndHashesIt() throws Exception {
    ModelSidecar sidecar = ModelSidecar.of("x", "1", LabelSet.FER2013, InputContract.FER2013);
    Path onnx = Files.write(tmp.resolve("net.onnx"), new byte[] {1, 2, 3});
    ExternalModel m = ExternalModel.of(onnx, sidecar);
    assertEquals(ExternalModel.ONNX, m.format());
    assertEquals("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81", m.sha256());
    assertEquals(ModelProvenance.SOURCE_EXTERNAL, m.metadata().provenance().source());
    Path savedModel = Files.createDirectories(tmp.resolve("saved"));
    Files.write(savedModel.resolve("saved_model.pb"), new byte[] {1, 2, 3});
    assertEquals(ExternalModel.SAVED_MODEL, ExternalModel.of(savedModel, sidecar).format());
    Path odd = Files.write(tmp.resolve("net.h5"), new byte[] {1});
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> ExternalModel.of(odd, sidecar));
    assertTrue(e.getMessage().startsWith("Cannot tell the format of " + odd), e.getMessage());
    e = assertThrows(ModelPackageException.class, () -> ExternalModel.of(tmp.resolve("gone.pt"), sidecar));
    assertTrue(e.getMessage().equals("No model file or SavedModel folder at " + tmp.resolve("gone.pt")), e.getMessage());
  }

  private static String message(String json, String source) {
    return assertThrows(ModelPackageException.class, () -> ModelSidecar.parse(json, source)).getMessage();
  }
}
