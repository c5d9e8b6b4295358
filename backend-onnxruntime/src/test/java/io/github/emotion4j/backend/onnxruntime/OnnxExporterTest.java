package io.github.emotion4j.backend.onnxruntime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.testing.ReferenceNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter, checked with ONNX Runtime's own Java API (no DJL) against the reference network. */
class OnnxExporterTest {
  /**
   * A small network that uses every layer type and the awkward hyper-parameters: strided and padded
   * convolution with and without bias, padded max- and average-pooling (zeros counted), leaky ReLU,
   * global pooling, batch-norm over a vector, dense without bias, dropout between and at the end.
   */
  static ModelPackage everyLayer(long seed) {
    List<LayerSpec> layers = List.of(
        new LayerSpec.Conv2d(8, 5, 2, 2, true),
        new LayerSpec.BatchNorm(1e-3),
        new LayerSpec.LeakyRelu(0.1),
        new LayerSpec.MaxPool(3, 2, 1),
        new LayerSpec.Conv2d(12, 3, 1, 1, false),
        new LayerSpec.AvgPool(3, 2, 1),
        new LayerSpec.Relu(),
        new LayerSpec.Dropout(0.25),
        new LayerSpec.GlobalAvgPool(),
        new LayerSpec.BatchNorm(1e-5),
        new LayerSpec.Dense(16, false),
        new LayerSpec.Relu(),
        new LayerSpec.Dense(LabelSet.FER2013.size(), true),
        new LayerSpec.Dropout(0.5));
    return TestData.randomPackage("every-layer", InputContract.FER2013, layers, LabelSet.FER2013, seed);
  }

  /** The same network but flattening the map instead of pooling it. */
  static ModelPackage flattening(long seed) {
    List<LayerSpec> layers = List.of(
        new LayerSpec.Conv2d(4, 3, 3, 0, true),
        new LayerSpec.Relu(),
        new LayerSpec.AvgPool(2, 2, 0),
        new LayerSpec.Flatten(),
        new LayerSpec.Dense(LabelSet.FER2013.size(), true));
    return TestData.randomPackage("flattening", InputContract.FER2013, layers, LabelSet.FER2013, seed);
  }

  /**
   * These tests use ONNX Runtime's own API, which creates its environment; DJL's engine fails to
   * start on an existing one (deepjavalibrary/djl#3679), so start it first for the other tests.
   */
  @BeforeAll
  static void startDjlEngineFirst() {
    OrtNetwork.engine();
  }

  static float[] runWithOrt(byte[] onnx, float[] data, int n, InputContract input) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx, options);
        OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(data),
            new long[] {n, input.channels(), input.height(), input.width()});
        OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT_NAME, x))) {
      OnnxTensor y = (OnnxTensor) result.get(OnnxExporter.OUTPUT_NAME).orElseThrow();
      assertArrayEquals(new long[] {n, LabelSet.FER2013.size()}, y.getInfo().getShape());
      FloatBuffer b = y.getFloatBuffer();
      float[] out = new float[b.remaining()];
      b.get(out);
      return out;
    }
  }

  @Test
  void exportedModelsRunInOnnxRuntimeAndMatchTheReference() throws Exception {
    List<Path> images = TestData.fer2013Sample("test", 1);
    for (ModelPackage model : List.of(everyLayer(5), flattening(6))) {
      float[] data = TestData.preprocessed(model, images);
      float[] logits = runWithOrt(OnnxExporter.export(model), data, images.size(), model.input());
      ReferenceNetwork.assertMatches(model, data, logits, images.size());
    }
  }

  @Test
  void theModelDeclaresOpset13NamedTensorsAndADynamicBatch() throws Exception {
    ModelPackage model = everyLayer(1);
    byte[] bytes = OnnxExporter.export(model);
    ModelProto proto = ModelProto.parseFrom(bytes);
    assertEquals(OnnxExporter.OPSET, proto.getOpsetImport(0).getVersion());
    assertEquals("", proto.getOpsetImport(0).getDomain());
    assertEquals(1, proto.getGraph().getInputCount());
    assertEquals("input", proto.getGraph().getInput(0).getName());
    assertEquals("batch",
        proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    assertEquals("logits", proto.getGraph().getOutput(0).getName());
    assertEquals(model.tensors().size(), proto.getGraph().getInitializerCount(), "one initializer per tensor");
    assertTrue(proto.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Dropout")));
    assertTrue(proto.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("AveragePool")
        && n.getAttributeList().stream().anyMatch(a -> a.getName().equals("count_include_pad") && a.getI() == 1)));

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(bytes, options)) {
      TensorInfo in = (TensorInfo) session.getInputInfo().get("input").getInfo();
      assertArrayEquals(new long[] {-1, 1, 48, 48}, in.getShape());
      assertEquals("batch", in.getDimensionNames()[0]);
      TensorInfo out = (TensorInfo) session.getOutputInfo().get("logits").getInfo();
      assertArrayEquals(new long[] {-1, 7}, out.getShape());
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      assertEquals("[\"angry\",\"disgust\",\"fear\",\"happy\",\"neutral\",\"sad\",\"surprise\"]",
          meta.get(OnnxExporter.META_LABELS));
      assertEquals(OnnxExporter.sidecar(model),
          ModelSidecar.parse(meta.get(OnnxExporter.META_SIDECAR), "metadata"));
      String json = meta.get(OnnxExporter.META_MODEL);
      assertTrue(json.contains("\"sha256\": \"" + model.metadata().weightsSha256() + "\""), json);
      assertTrue(json.contains("\"provenance\""), json);
      assertTrue(json.contains("\"source\": \"untrained\""), json);
      assertEquals("emotion4j", session.getMetadata().getProducerName());
    }
  }

  @Test
  void exportingIsDeterministic() {
    ModelPackage model = flattening(3);
    assertArrayEquals(OnnxExporter.export(model), OnnxExporter.export(model));
  }

  @Test
  void aLayerWithoutOnnxMappingFailsClearlyAtExport() {
    ModelPackage model = everyLayer(2);
    Map<String, OnnxExporter.LayerWriter> withoutLeaky = new HashMap<>(OnnxExporter.WRITERS);
    withoutLeaky.remove("leaky_relu");
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> OnnxExporter.build(model, withoutLeaky));
    assertEquals("Cannot export model \"every-layer\" to ONNX: layer 2 (leaky_relu) has no ONNX "
        + "mapping in this emotion4j version. Layers it exports: avgpool, batchnorm, conv2d, dense, "
        + "dropout, flatten, global_avgpool, maxpool, relu. Use a backend that runs leaky_relu "
        + "(e.g. native or pytorch), or upgrade emotion4j-backend-onnxruntime.", e.getMessage());
  }

  @Test
  void everyLayerTypeOfTheApiHasAMapping() {
    for (LayerSpec layer : everyLayer(1).layers()) {
      assertTrue(OnnxExporter.WRITERS.containsKey(layer.type()), layer.type());
    }
    assertEquals(10, OnnxExporter.WRITERS.size(), "one mapping per LayerSpec type");
  }

  @Test
  void exportToAFileReplacesItWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    ModelPackage model = flattening(4);
    Path target = dir.resolve("model.onnx");
    Files.writeString(target, "an older file");
    OnnxExporter.export(model, target);
    assertArrayEquals(OnnxExporter.export(model), Files.readAllBytes(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }
}
