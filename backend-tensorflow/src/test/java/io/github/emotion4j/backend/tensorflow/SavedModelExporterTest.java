package io.github.emotion4j.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.ReferenceNetwork;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/** The exported SavedModel: its signature, and that it reloads and computes the package's logits. */
class SavedModelExporterTest {
  @TempDir
  Path tmp;

  @Test
  void exportedSavedModelReloadsWithTheDocumentedSignatureAndSameLogits() throws Exception {
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 21);
    Path dir = tmp.resolve("vgg-savedmodel");
    SavedModelExporter.export(model, dir);
    SavedModelExporter.export(model, dir); // replacing an export leaves nothing else behind
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(dir), s.toList());
    }
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    assertEquals(SavedModelExporter.sidecar(model),
        ModelSidecar.read(dir.resolve(SavedModelExporter.SIDECAR_PATH)));
    assertTrue(Files.readString(dir.resolve(SavedModelExporter.METADATA_PATH))
        .contains(model.metadata().weightsSha256()));

    List<Path> images = TestData.fer2013Sample("test", 1);
    float[] data = TestData.preprocessed(model, images);
    float[] viaBackend;
    try (RunnableNetwork net = new TensorFlowBackend().load(model, Device.CPU)) {
      viaBackend = net.logits(new InputBatch(data, images.size(), model.input().shape()));
    }
    // Reload with TF Java directly (not through DJL), as TensorFlow Serving or Python would.
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), SavedModelExporter.TAG)) {
      Signature sig = bundle.function(SavedModelExporter.SIGNATURE_KEY).signature();
      assertEquals(java.util.Set.of("input"), sig.inputNames());
      assertEquals(java.util.Set.of("logits"), sig.outputNames());
      Signature.TensorDescription in = sig.getInputs().get("input");
      assertEquals(DataType.DT_FLOAT, in.dataType);
      assertArrayEquals(new long[] {-1, 1, 48, 48}, in.shape.asArray());
      Signature.TensorDescription out = sig.getOutputs().get("logits");
      assertEquals(DataType.DT_FLOAT, out.dataType);
      assertArrayEquals(new long[] {-1, 7}, out.shape.asArray());

      float[] logits = new float[images.size() * 7];
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(images.size(), 1, 48, 48), DataBuffers.of(data, true, false));
          Result r = bundle.function(SavedModelExporter.SIGNATURE_KEY).call(Map.of("input", x))) {
        ((TFloat32) r.get("logits").orElseThrow()).copyTo(DataBuffers.of(logits, false, false));
      }
      assertArrayEquals(viaBackend, logits, 1e-6f, "TF Java and the backend run the same graph");
      ReferenceNetwork.assertMatches(model, data, logits, images.size());
    }
    // One image alone gives the same logits as in a batch, within float rounding.
    try (RunnableNetwork net = new TensorFlowBackend().load(model, Device.CPU)) {
      float[] one = net.logits(new InputBatch(Arrays.copyOf(data, 2304), 1, model.input().shape()));
      assertArrayEquals(Arrays.copyOf(viaBackend, 7), one, 1e-5f, "one image alone vs in a batch (batched matmul may round differently)");
    }
  }
}
