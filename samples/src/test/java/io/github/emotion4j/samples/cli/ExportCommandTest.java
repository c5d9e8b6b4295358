package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code emotion4j export}: a test-made LeNet package to ONNX and to a SavedModel, the ONNX file
 * loaded back on ONNX Runtime and compared with the package on PyTorch over real FER2013 images.
 */
class ExportCommandTest {
  /** Holds the package, for the whole class. */
  @TempDir
  static Path shared;

  /** The test-made LeNet package. */
  static ModelPackage pkg;
  /** Where {@link #pkg} is saved, as a zip. */
  static Path model;

  /** A folder for each test's output. */
  @TempDir
  Path tmp;

  /**
   * Saves a LeNet package with seeded weights.
   *
   * @throws IOException if it cannot be written
   */
  @BeforeAll
  static void makeModel() throws IOException {
    pkg = TestData.randomPreset(NetworkPreset.LENET, 23);
    model = shared.resolve("m.zip");
    pkg.save(model);
  }

  /** A sidecar with the package's labels and input contract, as a user would write it for an ONNX file. */
  private static Path sidecar(Path target) throws IOException {
    InputContract in = pkg.input();
    JsonObject input = new JsonObject();
    input.addProperty("channels", in.channels());
    input.addProperty("height", in.height());
    input.addProperty("width", in.width());
    JsonArray mean = new JsonArray();
    in.mean().forEach(mean::add);
    JsonArray std = new JsonArray();
    in.std().forEach(std::add);
    input.add("mean", mean);
    input.add("std", std);
    input.addProperty("resize", in.resize());
    input.addProperty("layout", "NCHW");
    JsonArray labels = new JsonArray();
    pkg.labels().labels().forEach(labels::add);
    JsonObject o = new JsonObject();
    o.addProperty("name", "exported-lenet");
    o.add("labels", labels);
    o.add("input", input);
    JsonObject output = new JsonObject();
    output.addProperty("kind", "logits");
    o.add("output", output);
    return Files.writeString(target, o.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Exports to ONNX, loads the file on ONNX Runtime with a sidecar and compares with PyTorch.
   *
   * @throws IOException if a file cannot be read or written
   */
  @Test
  void exportOnnxLoadsBackAndAgreesWithThePackage() throws IOException {
    Path onnx = tmp.resolve("x.onnx");
    CliRun run = CliRun.of("export", model.toString(), "--format", "onnx", "-o", onnx.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals("exported test-lenet 0.0.1-test to " + onnx + " (onnx)", run.out().strip(), run::toString);
    assertTrue(Files.isRegularFile(onnx), () -> onnx + " was not written");
    assertTrue(Files.size(onnx) > 1000, "an ONNX file with the weights in it");

    List<Path> images = TestData.fer2013Sample("test", 2);
    List<EmotionScores> fromOnnx;
    List<EmotionScores> fromPackage;
    try (EmotionClassifier c = EmotionClassifier.builder().backend("onnxruntime")
        .externalModel(onnx, sidecar(tmp.resolve("x.json"))).build()) {
      assertEquals("onnxruntime", c.backend());
      fromOnnx = c.classifyFiles(images);
    }
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").model(model).build()) {
      fromPackage = c.classifyFiles(images);
    }
    assertEquals(images.size(), fromOnnx.size());
    for (int i = 0; i < images.size(); i++) {
      EmotionScores a = fromOnnx.get(i);
      EmotionScores b = fromPackage.get(i);
      assertEquals(b.top().label(), a.top().label(), images.get(i)::toString);
      for (int k = 0; k < b.probabilities().size(); k++) {
        assertEquals(b.probabilities().get(k), a.probabilities().get(k), 1e-4, images.get(i)::toString);
      }
    }
  }

  /**
   * Exports to a SavedModel folder with its graph, sidecar and metadata.
   *
   * @throws IOException if a file cannot be read
   */
  @Test
  void exportSavedModelWritesTheFolder() throws IOException {
    Path dir = tmp.resolve("saved");
    CliRun run = CliRun.of("export", model.toString(), "--format", "SavedModel", "-o", dir.toString());
    assertEquals(0, run.code(), run::toString);
    assertTrue(run.out().strip().endsWith(" to " + dir + " (savedmodel)"), run::toString);
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")), "saved_model.pb");
    assertTrue(Files.size(dir.resolve("saved_model.pb")) > 1000, "a graph with the weights in it");
    JsonObject side = JsonParser.parseString(
        Files.readString(dir.resolve("assets.extra/emotion4j-savedmodel.json"))).getAsJsonObject();
    assertEquals(pkg.labels().labels(),
        side.getAsJsonArray("labels").asList().stream().map(e -> e.getAsString()).toList());
    assertTrue(Files.readString(dir.resolve("assets.extra/emotion-model.json")).contains("\"test-lenet\""));
  }

  /** An unknown {@code --format} is a usage error, exit 2, with the command's usage. */
  @Test
  void unknownFormatIsAUsageError() {
    Path out = tmp.resolve("x.pt");
    CliRun run = CliRun.of("export", model.toString(), "--format", "torchscript", "-o", out.toString());
    assertEquals(2, run.code(), run::toString);
    assertTrue(run.err().contains("Unknown format \"torchscript\". Use onnx or savedmodel"), run::toString);
    assertTrue(run.err().contains("Usage: emotion4j export"), run::toString);
    assertFalse(Files.exists(out));
  }

  /** Without {@code --format} or {@code -o}: exit 2. */
  @Test
  void missingRequiredOptionsAreUsageErrors() {
    assertEquals(2, CliRun.of("export", model.toString(), "-o", tmp.resolve("x.onnx").toString()).code());
    assertEquals(2, CliRun.of("export", model.toString(), "--format", "onnx").code());
  }

  /** A missing package: exit 1, one line naming it, nothing written. */
  @Test
  void missingModelFailsWithOneClearLine() {
    Path missing = tmp.resolve("missing.zip");
    Path out = tmp.resolve("x.onnx");
    CliRun run = CliRun.of("export", missing.toString(), "--format", "onnx", "-o", out.toString());
    assertEquals(1, run.code(), run::toString);
    assertEquals("error: No model package at " + missing + " (no such file or folder)", run.err().strip(),
        run::toString);
    assertEquals("", run.out());
    assertFalse(Files.exists(out));
  }
}
