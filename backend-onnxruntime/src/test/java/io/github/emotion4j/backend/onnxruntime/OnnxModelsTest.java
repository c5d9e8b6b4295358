package io.github.emotion4j.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.ReferenceNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bring-your-own ONNX: a file the exporter wrote, described by a sidecar the test writes. */
class OnnxModelsTest {
  @TempDir static Path dir;
  static ModelPackage model;
  static Path onnx;
  static List<Path> images;

  @BeforeAll
  static void exportFixture() throws Exception {
    model = TestData.randomPreset(NetworkPreset.LENET, 21);
    onnx = dir.resolve("lenet.onnx");
    OnnxExporter.export(model, onnx);
    images = TestData.fer2013Sample("test", 1);
  }

  /** The reference probabilities of one image. */
  static double[] referenceProbabilities(ModelPackage m, Path image) {
    float[] data = TestData.preprocessed(m, List.of(image));
    double[] logits = ReferenceNetwork.logits(m, data);
    double max = Double.NEGATIVE_INFINITY;
    for (double l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  static void assertScoresMatchReference(EmotionScores scores, Path image) {
    double[] ref = referenceProbabilities(model, image);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], scores.probabilities().get(i), 1e-4, image + " label " + i);
    }
    int top = 0;
    for (int i = 1; i < ref.length; i++) {
      top = ref[i] > ref[top] ? i : top;
    }
    assertEquals(model.labels().get(top), scores.top().label());
  }

  @Test
  void anOnnxFileWithAHandWrittenSidecarClassifiesRealImages() throws Exception {
    Path sidecar = dir.resolve("lenet.json");
    Files.writeString(sidecar, """
        {
          "name": "my-lenet",
          "version": "2.1",
          "labels": ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"],
          "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5]}
        }
        """);
    try (EmotionClassifier c = OnnxModels.classifier(onnx, sidecar)) {
      assertEquals("onnxruntime", c.backend());
      assertEquals(Device.CPU, c.device());
      assertEquals("my-lenet", c.model().name());
      assertEquals(ModelProvenance.SOURCE_EXTERNAL, c.model().provenance().source());
      assertEquals(64, c.model().provenance().externalSha256().length());
      List<EmotionScores> batch = c.classifyFiles(images);
      for (int i = 0; i < images.size(); i++) {
        assertScoresMatchReference(batch.get(i), images.get(i));
        assertEquals(batch.get(i), c.classify(images.get(i)), "single vs batch");
      }
    }
  }

  @Test
  void anExportedFileCarriesItsOwnSidecar() {
    assertEquals(OnnxExporter.sidecar(model), OnnxModels.embeddedSidecar(onnx));
    assertTrue(OnnxModels.metadataProperties(onnx).get(OnnxExporter.META_MODEL)
        .contains(model.metadata().weightsSha256()));
    try (EmotionClassifier c = OnnxModels.classifier(onnx)) {
      assertScoresMatchReference(c.classify(images.get(3)), images.get(3));
    }
  }

  /** The export wrapped as a TensorFlow-style model: NHWC input, softmax at the end. */
  static Path tensorflowStyle(String fileName) throws Exception {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
    GraphProto.Builder g = m.getGraph().toBuilder();
    g.getInputBuilder(0).setName("image_nhwc").getTypeBuilder().getTensorTypeBuilder().setShape(
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(48))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(48))
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1)));
    g.getOutputBuilder(0).setName("probs");
    g.getNodeBuilder(g.getNodeCount() - 1).setOutput(0, "raw_logits");
    g.addNode(0, NodeProto.newBuilder().setOpType("Transpose").addInput("image_nhwc")
        .addOutput("input").addAttribute(AttributeProto.newBuilder().setName("perm")
            .setType(AttributeProto.AttributeType.INTS).addInts(0).addInts(3).addInts(1).addInts(2)));
    g.addNode(NodeProto.newBuilder().setOpType("Softmax").addInput("raw_logits").addOutput("probs")
        .addAttribute(AttributeProto.newBuilder().setName("axis")
            .setType(AttributeProto.AttributeType.INT).setI(1)));
    Path tf = dir.resolve(fileName);
    Files.write(tf, m.toBuilder().clearMetadataProps().setGraph(g).build().toByteArray());
    return tf;
  }

  @Test
  void nhwcInputAndProbabilitiesOutputAreHonoured() throws Exception {
    Path tf = tensorflowStyle("tf-style.onnx");
    ModelSidecar sidecar = ModelSidecar.of("tf-style", "1", LabelSet.FER2013, InputContract.FER2013)
        .withLayout(ModelSidecar.Layout.NHWC).withOutput(ModelSidecar.OutputKind.PROBABILITIES)
        .withTensorNames("image_nhwc", "probs");
    Path json = dir.resolve("tf-style.json");
    sidecar.write(json);
    assertEquals(sidecar, ModelSidecar.read(json));
    try (EmotionClassifier c = OnnxModels.classifier(tf, json)) {
      List<EmotionScores> scores = c.classifyFiles(images);
      for (int i = 0; i < images.size(); i++) {
        assertScoresMatchReference(scores.get(i), images.get(i));
      }
    }
  }

  @Test
  void theBuildersExternalModelRunsOnnxFilesThroughTheSpi() throws Exception {
    Path sidecar = dir.resolve("api-sidecar.json");
    Files.writeString(sidecar, """
        {"name": "my-net", "labels": ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"],
         "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5], "layout": "NCHW"},
         "output": {"kind": "logits"}}
        """);
    try (EmotionClassifier c = EmotionClassifier.builder().backend("onnxruntime").device(Device.CPU)
        .externalModel(onnx, sidecar).build()) {
      assertEquals("onnxruntime", c.backend());
      List<EmotionScores> scores = c.classifyFiles(images);
      for (int i = 0; i < images.size(); i++) {
        assertScoresMatchReference(scores.get(i), images.get(i));
      }
    }
    Path tf = tensorflowStyle("tf-style-api.onnx");
    Path tfSidecar = dir.resolve("tf-style-api.json");
    Files.writeString(tfSidecar, Files.readString(sidecar).replace("NCHW", "NHWC")
        .replace("\"logits\"", "\"probabilities\""));
    try (EmotionClassifier c = EmotionClassifier.builder().backend("onnxruntime").device(Device.CPU)
        .externalModel(tf, tfSidecar).build()) {
      List<EmotionScores> scores = c.classifyFiles(images);
      for (int i = 0; i < images.size(); i++) {
        assertScoresMatchReference(scores.get(i), images.get(i));
      }
    }
  }

  @Test
  void aModelFixedAtBatchOneRunsOneImageAtATime() throws Exception {
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(onnx));
    GraphProto.Builder g = m.getGraph().toBuilder();
    g.getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0)
        .clearDimParam().setDimValue(1);
    Path fixed = dir.resolve("fixed-batch.onnx");
    Files.write(fixed, m.toBuilder().setGraph(g).build().toByteArray());
    try (EmotionClassifier c = OnnxModels.classifier(fixed)) {
      List<EmotionScores> scores = c.classifyFiles(images);
      for (int i = 0; i < images.size(); i++) {
        assertScoresMatchReference(scores.get(i), images.get(i));
      }
    }
    Files.write(fixed, m.toBuilder().setGraph(g.setInput(0, g.getInput(0).toBuilder().setType(
        g.getInput(0).getType().toBuilder().setTensorType(g.getInput(0).getType().getTensorType()
            .toBuilder().setShape(g.getInput(0).getType().getTensorType().getShape().toBuilder()
                .setDim(0, TensorShapeProto.Dimension.newBuilder().setDimValue(8))))))).build()
        .toByteArray());
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> OnnxModels.classifier(fixed));
    assertTrue(e.getMessage().contains("has a fixed batch of 8"), e.getMessage());
  }

  @Test
  void otherFormatsAreRefused() {
    ExternalModel torch = new ExternalModel(onnx, ExternalModel.TORCHSCRIPT,
        ModelSidecar.of("t", "1", LabelSet.FER2013, InputContract.FER2013), "0");
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> new OnnxRuntimeBackend().loadExternal(torch, Device.CPU));
    assertTrue(e.getMessage().startsWith("The onnxruntime backend runs ONNX files, not torchscript"),
        e.getMessage());
  }

  @Test
  void aSidecarThatDoesNotFitTheModelIsRefusedBeforeOnnxRuntimeStarts() {
    ModelSidecar rgb = ModelSidecar.of("x", "1", LabelSet.FER2013,
        new InputContract(3, 48, 48, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5), "area"));
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> OnnxModels.classifier(onnx, rgb, Device.CPU));
    assertEquals("ONNX file " + onnx + ": input \"input\" has shape [?, 1, 48, 48] but the sidecar's "
        + "input contract and layout give [batch, 3, 48, 48] (NCHW). Fix input.channels/height/width "
        + "or input.layout in the sidecar.", e.getMessage());

    ModelSidecar four = ModelSidecar.of("x", "1", LabelSet.PAPER_FOUR, InputContract.FER2013);
    e = assertThrows(ModelPackageException.class, () -> OnnxModels.classifier(onnx, four, Device.CPU));
    assertTrue(e.getMessage().contains("output \"logits\" has shape [?, 7] but the sidecar lists 4 labels"),
        e.getMessage());

    ModelSidecar named = ModelSidecar.of("x", "1", LabelSet.FER2013, InputContract.FER2013)
        .withTensorNames("pixels", "");
    e = assertThrows(ModelPackageException.class, () -> OnnxModels.classifier(onnx, named, Device.CPU));
    assertEquals("ONNX file " + onnx + " has no input named \"pixels\"; its inputs: [input]",
        e.getMessage());
  }

  @Test
  void badFilesGiveTypedErrors() throws Exception {
    Path sidecar = dir.resolve("ok.json");
    OnnxExporter.sidecar(model).write(sidecar);

    Path missing = dir.resolve("missing.onnx");
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> OnnxModels.classifier(missing, sidecar));
    assertEquals("No model file or SavedModel folder at " + missing, e.getMessage());

    Path garbage = dir.resolve("garbage.onnx");
    Files.write(garbage, new byte[] {(byte) 0xff, 0x13, 0x37, 0x00, 0x42});
    e = assertThrows(ModelPackageException.class, () -> OnnxModels.classifier(garbage, sidecar));
    assertTrue(e.getMessage().startsWith("ONNX file " + garbage + " is not a valid ONNX model"),
        e.getMessage());

    Path badJson = dir.resolve("bad.json");
    Files.writeString(badJson, "{\"labels\": [\"a\", \"b\"]}");
    e = assertThrows(ModelPackageException.class, () -> OnnxModels.classifier(onnx, badJson));
    assertEquals("Sidecar " + badJson + " lacks the field \"input\"", e.getMessage());

    Path badLayout = dir.resolve("layout.json");
    Files.writeString(badLayout, OnnxExporter.sidecar(model).toJson().replace("NCHW", "CHWN"));
    e = assertThrows(ModelPackageException.class, () -> ModelSidecar.read(badLayout));
    assertEquals("Sidecar " + badLayout + ": input.layout is \"CHWN\"; use one of [nchw, nhwc]",
        e.getMessage());

    e = assertThrows(ModelPackageException.class, () -> ModelSidecar.read(dir.resolve("none.json")));
    assertTrue(e.getMessage().startsWith("Could not read the model sidecar"), e.getMessage());

    Path foreign = dir.resolve("foreign.onnx");
    Files.write(foreign, ModelProto.parseFrom(Files.readAllBytes(onnx)).toBuilder()
        .clearMetadataProps().build().toByteArray());
    e = assertThrows(ModelPackageException.class, () -> OnnxModels.classifier(foreign));
    assertTrue(e.getMessage().contains("carries no emotion4j.sidecar metadata"), e.getMessage());
  }

  @Test
  void aMissingGpuIsAnExplicitError() {
    Assumptions.assumeFalse(new OnnxRuntimeBackend().devices().contains(Device.GPU), "a GPU is present");
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> OnnxModels.classifier(onnx, OnnxModels.embeddedSidecar(onnx), Device.GPU));
    assertTrue(e.getMessage().startsWith(
        "Device GPU is not available to the onnxruntime backend on this machine. Devices present: [CPU]."),
        e.getMessage());
  }
}
