package io.github.emotion4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.testing.TestData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Package round trips, and each kind of damaged package refused with a clear message. */
class ModelPackageTest {
  @TempDir Path dir;

  private static final ModelPackage LENET = buildLenet();

  /** One LeNet package with full provenance, built once (packages are immutable). */
  private static ModelPackage lenet() {
    return LENET;
  }

  private static ModelPackage buildLenet() {
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("name", "fer2013");
    dataset.put("split", "train");
    dataset.put("counts", Map.of("angry", 3995, "happy", 7215));
    dataset.put("sha256", "ab".repeat(32));
    dataset.put("augmentations", List.of("hflip", Map.of("rotate", 10.5)));
    Map<String, Object> training = Map.of("seed", 1234567890123456789L, "epochs", 30,
        "learning-rate", 1e-3, "resumed-from", "none", "batch", (short) 64, "momentum", 0.9f);
    return TestData.randomPreset(NetworkPreset.LENET, 5).withProvenance(
        ModelProvenance.now(ModelProvenance.SOURCE_TRAINED, "pytorch", "PyTorch", "2.7.1")
            .withDataset(dataset).withTraining(training)
            .withMetrics(Map.of("accuracy", 0.6512, "macro-f1", 0.6021, "split", "test", "nan-safe", true)));
  }

  private static void assertSamePackage(ModelPackage expected, ModelPackage actual) {
    assertEquals(expected.metadata(), actual.metadata());
    assertEquals(expected.tensors(), actual.tensors());
    for (String name : expected.tensors().keySet()) {
      assertArrayEquals(expected.tensor(name).data(), actual.tensor(name).data(), 0f, name);
    }
    assertEquals(expected.summary().flops(), actual.summary().flops());
  }

  @Test
  void toStringOfTheBundledModelIsOneShortLine() {
    ModelMetadata m = io.github.emotion4j.zoo.ModelZoo.fromEnvironment().load("fer2013-vgg-bn").metadata();
    String text = m.toString();
    assertTrue(text.length() < 600, text.length() + " characters: " + text);
    assertFalse(text.contains("\n"), text);
    assertTrue(text.startsWith("ModelMetadata[fer2013-vgg-bn " + m.version() + ", format "), text);
    assertTrue(text.contains("labels [angry, disgust, fear, happy, neutral, sad, surprise], input 1x48x48, "
        + m.layers().size() + " layers, weights sha256 " + m.weightsSha256().substring(0, 12)), text);
    assertTrue(text.contains("accuracy="), "the figures are kept: " + text);
    assertTrue(m.provenance().training().toString().length() > 2000, "the history is still in the record");
  }

  @Test
  void roundTripThroughAFolder() throws IOException {
    ModelPackage pkg = lenet();
    Path target = dir.resolve("lenet");
    pkg.save(target);
    assertTrue(Files.isRegularFile(target.resolve(ModelPackage.METADATA_FILE)));
    assertTrue(Files.isRegularFile(target.resolve(ModelPackage.WEIGHTS_FILE)));
    ModelPackage back = ModelPackage.load(target);
    assertSamePackage(pkg, back);
    assertEquals(pkg.metadata().provenance(), back.metadata().provenance());
    assertEquals(1234567890123456789L, back.metadata().provenance().training().get("seed"),
        "a long seed keeps every digit");
    assertEquals(AtomicFiles.sha256(Files.readAllBytes(target.resolve(ModelPackage.WEIGHTS_FILE))),
        back.metadata().weightsSha256());
  }

  @Test
  void roundTripThroughAZipAndAStream() throws IOException {
    ModelPackage pkg = lenet();
    Path zip = dir.resolve("lenet.zip");
    pkg.save(zip);
    assertSamePackage(pkg, ModelPackage.load(zip));
    try (var in = Files.newInputStream(zip)) {
      assertSamePackage(pkg, ModelPackage.fromZip(in, "stream"));
    }
  }

  @Test
  void provenanceJsonRoundTripsAndUsesKebabCaseKeys() throws IOException {
    ModelPackage pkg = lenet();
    String json = ModelJson.write(pkg.metadata());
    ModelMetadata back = ModelJson.read(json, "mem");
    assertEquals(pkg.metadata(), back);
    assertEquals(json, ModelJson.write(back), "writing what was read gives the same text");
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    assertEquals(ModelPackage.FORMAT_VERSION, root.get("format-version").getAsInt());
    JsonObject prov = root.getAsJsonObject("provenance");
    for (String key : List.of("source", "trained-at", "emotion4j-version", "backend", "engine",
        "engine-version", "java-version", "os-name", "os-arch", "dataset", "training", "metrics")) {
      assertTrue(prov.has(key), "provenance has " + key);
    }
    assertEquals("7215", prov.getAsJsonObject("dataset").getAsJsonObject("counts").get("happy").toString(),
        "counts stay integers in the JSON");
    // A package written before a field existed reads that field as "unknown".
    prov.remove("engine-version");
    prov.remove("metrics");
    ModelMetadata older = ModelJson.read(root.toString(), "older");
    assertEquals(ModelProvenance.UNKNOWN, older.provenance().engineVersion());
    assertEquals(Map.of(), older.provenance().metrics());
  }

  @Test
  void savingOverAnExistingPackageReplacesIt() throws IOException {
    ModelPackage v1 = lenet();
    ModelPackage v2 = TestData.randomPreset(NetworkPreset.LENET, 99).withName("test-lenet", "2.0.0");
    for (String name : List.of("pkg", "pkg.zip")) {
      Path target = dir.resolve(name);
      v1.save(target);
      v2.save(target);
      ModelPackage back = ModelPackage.load(target);
      assertEquals("2.0.0", back.metadata().version(), name);
      assertSamePackage(v2, back);
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("pkg", "pkg.zip"), left.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary or old copies are left beside the targets");
    }
  }

  @Test
  void aFailedSaveLeavesTheOldPackage() throws IOException {
    // A 250-character name is legal, but the temporary name built from it (".<name>.<random>")
    // exceeds the file system's 255-byte limit, so the save fails before touching the target.
    ModelPackage v1 = lenet();
    ModelPackage v2 = TestData.randomPreset(NetworkPreset.LENET, 99).withName("test-lenet", "2.0.0");
    for (String suffix : List.of("", ".zip")) {
      Path target = dir.resolve("p".repeat(250 - suffix.length()) + suffix);
      Path shortName = dir.resolve("short" + suffix);
      v1.save(shortName);
      Files.move(shortName, target);
      assertThrows(IOException.class, () -> v2.save(target));
      assertSamePackage(v1, ModelPackage.load(target));
    }
  }

  // ---- damaged packages ----

  /** Saves a package to a folder, then rewrites its JSON. */
  private Path withJson(UnaryOperator<JsonObject> edit) throws IOException {
    Path target = dir.resolve("edited");
    lenet().save(target);
    Path json = target.resolve(ModelPackage.METADATA_FILE);
    JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    Files.writeString(json, edit.apply(root).toString());
    return target;
  }

  private static String refused(Path pkg) {
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(pkg));
    assertTrue(e.getMessage().contains(pkg.toString()), "message names the package: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void corruptedWeightsFileIsCaughtByItsSha256() throws IOException {
    Path target = dir.resolve("corrupt");
    lenet().save(target);
    Path weights = target.resolve(ModelPackage.WEIGHTS_FILE);
    byte[] b = Files.readAllBytes(weights);
    b[b.length - 3] ^= 0x40; // one flipped bit in the last tensor's data
    Files.write(weights, b);
    String msg = refused(target);
    assertTrue(msg.contains("weights.safetensors has sha256 " + AtomicFiles.sha256(b)), msg);
    assertTrue(msg.contains("corrupted or were replaced"), msg);
  }

  @Test
  void corruptedWeightsHeaderWithAMatchingSha256IsMalformed() throws IOException {
    byte[] garbage = "\u0010\0\0\0\0\0\0\0{\"a\": [1, 2, 3".getBytes(StandardCharsets.ISO_8859_1);
    Path target = withJson(root -> {
      root.getAsJsonObject("weights").addProperty("sha256", AtomicFiles.sha256(garbage));
      return root;
    });
    Files.write(target.resolve(ModelPackage.WEIGHTS_FILE), garbage);
    assertTrue(refused(target).contains("Malformed safetensors file"));
  }

  @Test
  void wrongSha256() throws IOException {
    Path target = withJson(root -> {
      root.getAsJsonObject("weights").addProperty("sha256", "0".repeat(64));
      return root;
    });
    String msg = refused(target);
    assertTrue(msg.contains("but emotion-model.json expects " + "0".repeat(64)), msg);
  }

  /** Writes a folder package whose weights are the given tensors, with a matching sha256. */
  private Path withTensors(Map<String, Tensor> tensors) throws IOException {
    byte[] weights = Safetensors.write(tensors, Map.of());
    Path target = withJson(root -> {
      root.getAsJsonObject("weights").addProperty("sha256", AtomicFiles.sha256(weights));
      return root;
    });
    Files.write(target.resolve(ModelPackage.WEIGHTS_FILE), weights);
    return target;
  }

  @Test
  void missingTensor() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>(lenet().tensors());
    tensors.remove("layers.3.bias");
    String msg = refused(withTensors(tensors));
    assertTrue(msg.contains("the layer list needs tensor \"layers.3.bias\" [16], which the weights lack"), msg);
    ModelPackage p = lenet();
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.create(
        "x", "1", p.labels(), p.input(), p.layers(), tensors, p.metadata().provenance()));
    assertTrue(e.getMessage().contains("layers.3.bias"), e.getMessage());
  }

  @Test
  void tensorWithTheWrongShape() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>(lenet().tensors());
    tensors.put("layers.0.weight", new Tensor(new int[] {6, 1, 3, 3}, new float[54]));
    String msg = refused(withTensors(tensors));
    assertTrue(msg.contains("tensor \"layers.0.weight\" has shape [6, 1, 3, 3] but the layer list needs [6, 1, 5, 5]"),
        msg);
  }

  @Test
  void tensorOfNoLayer() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>(lenet().tensors());
    tensors.put("layers.1.weight", new Tensor(new int[] {1}, new float[1]));
    assertTrue(refused(withTensors(tensors)).contains("\"layers.1.weight\" belongs to no layer"));
  }

  @Test
  void unknownLayerType() throws IOException {
    Path target = withJson(root -> {
      root.getAsJsonArray("layers").get(1).getAsJsonObject().addProperty("type", "gelu");
      return root;
    });
    String msg = refused(target);
    assertTrue(msg.contains("unknown layer type \"gelu\" at layers[1]. Supported: conv2d, batchnorm, relu"), msg);
  }

  @Test
  void layerListThatDoesNotEndInOneOutputPerLabel() throws IOException {
    Path target = withJson(root -> {
      root.getAsJsonArray("labels").remove(6);
      return root;
    });
    assertTrue(refused(target).contains("must end in a vector of 6 values, one per label"));
  }

  @Test
  void futureFormatVersion() throws IOException {
    Path target = withJson(root -> {
      root.addProperty("format-version", ModelPackage.FORMAT_VERSION + 1);
      return root;
    });
    String msg = refused(target);
    assertTrue(msg.contains("has format-version 2; this emotion4j reads versions 1 to 1. Upgrade emotion4j"), msg);
  }

  @Test
  void missingFieldsAndFiles() throws IOException {
    Path target = withJson(root -> {
      root.remove("input");
      return root;
    });
    assertTrue(refused(target).contains("lacks the field \"input\""));
    Files.delete(target.resolve(ModelPackage.WEIGHTS_FILE));
    assertTrue(refused(target).contains("has no weights.safetensors"));
    assertTrue(refused(dir.resolve("absent")).contains("No model package at"));
    Files.writeString(target.resolve(ModelPackage.METADATA_FILE), "not json {");
    Files.write(target.resolve(ModelPackage.WEIGHTS_FILE), new byte[8]);
    assertTrue(refused(target).contains("is not a JSON object"));
  }

  @Test
  void eachMissingOrMistypedRequiredFieldIsNamed() throws IOException {
    String[][] cases = {
        {"labels", null, "lacks the field \"labels\""},
        {"format-version", null, "lacks the field \"format-version\""},
        {"name", null, "lacks the field \"name\""},
        {"version", null, "lacks the field \"version\""},
        {"weights", null, "lacks the field \"weights\""},
        {"input.channels", null, "lacks the field \"input.channels\""},
        {"input.mean", null, "lacks the field \"input.mean\""},
        {"weights.sha256", null, "lacks the field \"weights.sha256\""},
        {"labels", "\"angry\"", "the field \"labels\" must be an array, not \"angry\""},
        {"input.width", "\"48\"", "the field \"input.width\" must be a whole number, not \"48\""},
        {"input.std", "[0.5, \"x\"]", "the field \"input.std[1]\" must be a number"},
    };
    for (int i = 0; i < cases.length; i++) {
      Path target = dir.resolve("fields" + i);
      lenet().save(target);
      Path json = target.resolve(ModelPackage.METADATA_FILE);
      JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
      String[] path = cases[i][0].split("\\.");
      JsonObject parent = path.length == 1 ? root : root.getAsJsonObject(path[0]);
      String key = path[path.length - 1];
      if (cases[i][1] == null) {
        parent.remove(key);
      } else {
        parent.add(key, JsonParser.parseString(cases[i][1]));
      }
      Files.writeString(json, root.toString());
      String msg = refused(target);
      assertTrue(msg.contains(json.toString()) || msg.contains(target + "/" + ModelPackage.METADATA_FILE), msg);
      assertTrue(msg.contains(cases[i][2]), cases[i][0] + ": " + msg);
      assertTrue(!msg.contains("Cannot invoke") && !msg.contains("null"), msg);
    }
  }

  @Test
  void unknownZipEntriesAreNotInflatedAndTheMetadataHasACap() throws IOException {
    ModelPackage pkg = lenet();
    Map<String, byte[]> entries = files(pkg, "");
    entries.put("notes/extra.bin", new byte[1 << 20]);
    byte[] bytes = zip(entries);
    // Damage the extra entry's compressed data (after its local header): a reader that inflated it
    // would fail; the central directory, read instead, is intact.
    int at = indexOf(bytes, "notes/extra.bin".getBytes(StandardCharsets.UTF_8)) + 40;
    for (int i = 0; i < 64; i++) {
      bytes[at + i] = (byte) 0xff;
    }
    Path file = dir.resolve("extra.zip");
    Files.write(file, bytes);
    assertEquals(pkg.metadata(), ModelPackage.load(file).metadata());

    Map<String, byte[]> huge = files(pkg, "");
    byte[] json = new byte[(16 << 20) + 1];
    Arrays.fill(json, (byte) ' ');
    huge.put(ModelPackage.METADATA_FILE, json);
    Path big = dir.resolve("big-metadata.zip");
    Files.write(big, zip(huge));
    String msg = refused(big);
    assertTrue(msg.contains(ModelPackage.METADATA_FILE + " is " + json.length + " bytes uncompressed, more than"
        + " the limit of " + (16 << 20)), msg);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  // ---- zips ----

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static Map<String, byte[]> files(ModelPackage pkg, String prefix) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(prefix + ModelPackage.METADATA_FILE, ModelJson.write(pkg.metadata()).getBytes(StandardCharsets.UTF_8));
    m.put(prefix + ModelPackage.WEIGHTS_FILE, pkg.weightsBytes());
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "/etc/evil", "/abs/emotion-model.json", "C:/evil", "c:\\evil",
      "pkg/../../evil", "..\\evil", "a/b/../../../evil", ".."})
  void zipSlipEntriesAreRefused(String entry) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>(files(lenet(), ""));
    entries.put(entry, "x".getBytes(StandardCharsets.UTF_8));
    byte[] zip = zip(entries);
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> ModelPackage.fromZip(new ByteArrayInputStream(zip), "evil.zip"));
    assertEquals("Model package evil.zip holds the entry \"" + entry
        + "\", which escapes the package folder; refusing to read it", e.getMessage());
  }

  @Test
  void aZipWithThePackageInOneFolderLoads() throws IOException {
    ModelPackage pkg = lenet();
    Map<String, byte[]> entries = new LinkedHashMap<>(files(pkg, "fer2013-lenet/"));
    entries.put("fer2013-lenet/README.md", "notes".getBytes(StandardCharsets.UTF_8));
    entries.put("fer2013-lenet/extra/deeper.bin", new byte[3]);
    assertSamePackage(pkg, ModelPackage.fromZip(new ByteArrayInputStream(zip(entries)), "wrapped.zip"));
    assertEquals("emotion-model.json", ModelPackage.safeEntryName("./emotion-model.json", "s"));
    assertEquals("weights.safetensors", ModelPackage.safeEntryName("my..model/weights.safetensors", "s"),
        "dots inside a name are not a parent reference");
  }

  @Test
  void aZipHoldingTwoPackagesIsRefused() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>(files(lenet(), "a/"));
    entries.putAll(files(TestData.randomPreset(NetworkPreset.LENET, 2), "b/"));
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> ModelPackage.fromZip(new ByteArrayInputStream(zip(entries)), "two.zip"));
    assertTrue(e.getMessage().contains("holds emotion-model.json twice"), e.getMessage());
  }

  @Test
  void aZipWithoutTheWeightsIsRefused() throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>(files(lenet(), ""));
    entries.remove(ModelPackage.WEIGHTS_FILE);
    Path zip = Files.write(dir.resolve("partial.zip"), zip(entries));
    assertTrue(refused(zip).contains("has no weights.safetensors at the top of the zip"));
    Path notZip = Files.writeString(dir.resolve("model.zip"), "plain text");
    assertFalse(refused(notZip).isEmpty());
  }

  @Test
  void labelsAndInputSurviveAsValues() {
    ModelPackage pkg = lenet();
    assertEquals(LabelSet.FER2013.labels(), pkg.labels().labels());
    assertEquals(InputContract.FER2013, pkg.input());
    assertTrue(pkg.toString().startsWith("test-lenet 0.0.1-test (7 labels, "), pkg.toString());
  }
}
