package io.github.emotion4j.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Bring-your-own SavedModels described by a sidecar. */
class SavedModelsTest {
  @TempDir
  Path tmp;

  @Test
  void anExportedSavedModelWithASeparateSidecarClassifiesRealImagesAsThePackageDoes() throws Exception {
    ModelPackage model = TestData.randomPreset(NetworkPreset.VGG_BN, 33);
    Path dir = tmp.resolve("exported");
    SavedModelExporter.export(model, dir);
    Path sidecar = tmp.resolve("exported.json");
    Files.copy(dir.resolve(SavedModelExporter.SIDECAR_PATH), sidecar);
    List<Path> images = TestData.fer2013Sample("test", 1);
    try (EmotionClassifier byo = SavedModels.classifier(dir, sidecar);
        EmotionClassifier pkg = EmotionClassifier.builder().backend("tensorflow").device(Device.CPU)
            .model(model).build()) {
      assertEquals("tensorflow", byo.backend());
      assertEquals(Device.CPU, byo.device());
      assertEquals(model.labels(), byo.labels());
      assertEquals(ModelProvenance.SOURCE_EXTERNAL, byo.model().provenance().source());
      for (Path image : images) {
        assertEquals(pkg.classify(image), byo.classify(image), image.toString());
      }
      assertEquals(pkg.classifyFiles(images), byo.classifyFiles(images));
    }
  }

  @Test
  void nhwcInputAndProbabilityOutputAreHonoured() throws Exception {
    // A hand-made SavedModel as Keras would write it: NHWC RGB input, softmax output, two outputs.
    InputContract rgb = new InputContract(3, 48, 48, List.of(0.5, 0.5, 0.5), List.of(0.5, 0.5, 0.5),
        InputContract.AREA);
    int features = 48 * 48 * 3;
    float[] w = new float[features * 4];
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextDouble(-0.02, 0.02);
    }
    Path dir = tmp.resolve("keras-like");
    TensorFlowEngine.get();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("image").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 48, 48, 3)));
      Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, features}));
      Operand<TFloat32> logits = tf.linalg.matMul(flat, tf.constant(Shape.of(features, 4), DataBuffers.of(w)));
      Operand<TFloat32> probs = tf.withName("probs").nn.softmax(logits);
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withTags("serve")
            .withFunction(SessionFunction.create(Signature.builder("serving_default")
                .input("image", x).output("probs", probs).output("raw", logits).build(), s))
            .export();
      }
    }
    LabelSet four = LabelSet.PAPER_FOUR;
    ModelSidecar unnamed = ModelSidecar.of("keras-like", "1", four, rgb)
        .withLayout(ModelSidecar.Layout.NHWC).withOutput(ModelSidecar.OutputKind.PROBABILITIES);
    ModelSidecar sidecar = unnamed.withTensorNames("image", "probs").withSignature("serving_default");
    Path sidecarFile = tmp.resolve("keras-like.json");
    sidecar.write(sidecarFile);
    assertEquals(sidecar, ModelSidecar.read(sidecarFile));

    Path image = TestData.otherFacesSample(1).get(0);
    ModelPackage shapeOnly = TestData.randomPackage("rgb", rgb,
        List.of(new io.github.emotion4j.model.LayerSpec.Flatten(),
            new io.github.emotion4j.model.LayerSpec.Dense(4, false)), four, 1);
    float[] chw = TestData.preprocessed(shapeOnly, List.of(image));
    double[] expected = new double[4];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < 48 * 48; p++) {
        double v = chw[c * 48 * 48 + p];
        for (int j = 0; j < 4; j++) {
          expected[j] += v * w[(p * 3 + c) * 4 + j]; // NHWC flattening: (y, x, channel)
        }
      }
    }
    double max = Math.max(Math.max(expected[0], expected[1]), Math.max(expected[2], expected[3]));
    double sum = 0;
    for (int j = 0; j < 4; j++) {
      expected[j] = Math.exp(expected[j] - max);
      sum += expected[j];
    }
    try (EmotionClassifier c = SavedModels.classifier(dir, sidecarFile)) {
      EmotionScores s = c.classify(image);
      for (int j = 0; j < 4; j++) {
        assertEquals(expected[j] / sum, s.probabilities().get(j), 1e-5, "label " + four.get(j));
      }
    }
    // Without an output name, two outputs are ambiguous: the error lists them.
    try (EmotionClassifier c = SavedModels.classifier(dir, unnamed, Device.CPU)) {
      ModelPackageException e = assertThrows(ModelPackageException.class, () -> c.classify(image));
      assertTrue(e.getMessage().contains("output.name") && e.getMessage().contains("probs"), e.getMessage());
    }
  }

  @Test
  void missingOrInvalidFilesAreClearErrors() throws Exception {
    ModelPackageException noModel = assertThrows(ModelPackageException.class,
        () -> SavedModels.classifier(tmp.resolve("nothing"), tmp.resolve("nothing.json")));
    assertTrue(noModel.getMessage().contains("nothing.json"), noModel.getMessage());
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"labels\": [\"a\", \"b\"], \"input\": {\"channels\": 1, \"height\": 48,"
        + " \"width\": 48, \"mean\": [0.5], \"std\": [0.5], \"layout\": \"NCWH\"}}");
    ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelSidecar.read(bad));
    assertTrue(e.getMessage().contains("input.layout is \"NCWH\"; use one of [nchw, nhwc]"), e.getMessage());
  }
}
