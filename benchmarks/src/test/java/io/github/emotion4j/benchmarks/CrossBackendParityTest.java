package io.github.emotion4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.internal.Backends;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.BackendContractTest;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same model on every backend gives the same logits: each backend against the PyTorch backend,
 * within {@link BackendContractTest#TOLERANCE} relative to the logit scale ({@code |a - b| <= 1e-4 *
 * max(1, max |pytorch logit|)}), and the same top-1 label on every image. The default run uses 20
 * FER2013 test images and 10 crops from the other collection; {@code -Dgroups=slow} runs the 500
 * test images and all 150 crops.
 */
class CrossBackendParityTest {
  static final List<String> BACKENDS = List.of("native", "onnxruntime", "tensorflow");

  static Stream<Arguments> presets() {
    return Stream.of(NetworkPreset.values()).map(p -> Arguments.of(p));
  }

  static List<Path> images(int fer, int other) {
    // up to fer/7 + 15 per label (disgust has only 55 test images), cut to exactly fer images
    List<Path> all = new ArrayList<>(TestData.fer2013Sample("test", fer / 7 + 15).subList(0, fer));
    all.addAll(TestData.otherFacesSample(other));
    return all;
  }

  @ParameterizedTest
  @MethodSource("presets")
  void everyBackendMatchesPyTorchOnRealImages(NetworkPreset preset) {
    check(TestData.randomPreset(preset, 42), images(21, 10));
  }

  @Tag("slow")
  @ParameterizedTest
  @MethodSource("presets")
  void everyBackendMatchesPyTorchOn500TestImagesAndAllOtherFaces(NetworkPreset preset) {
    check(TestData.randomPreset(preset, 42), images(500, 150));
  }

  @Test
  void theBundledModelAgreesEverywhere() {
    boolean bundled = ModelZoo.fromEnvironment().listModels().stream()
        .anyMatch(e -> e.name().equals("fer2013-vgg-bn"));
    org.junit.jupiter.api.Assumptions.assumeTrue(bundled, "no bundled model yet");
    check(ModelZoo.fromEnvironment().load("fer2013-vgg-bn"), images(70, 30));
  }

  private static void check(ModelPackage model, List<Path> files) {
    float[] data = TestData.preprocessed(model, files);
    Map<String, float[]> logits = new LinkedHashMap<>();
    for (String name : Stream.concat(Stream.of("pytorch"), BACKENDS.stream()).toList()) {
      try (RunnableNetwork net = Backends.discover().select(name).load(model, Device.CPU)) {
        float[] out = new float[files.size() * model.labels().size()];
        int size = model.input().imageSize();
        for (int from = 0; from < files.size(); from += 64) { // batches as a host would send them
          int n = Math.min(64, files.size() - from);
          float[] batch = java.util.Arrays.copyOfRange(data, from * size, (from + n) * size);
          float[] got = net.logits(new InputBatch(batch, n, model.input().shape()));
          System.arraycopy(got, 0, out, from * model.labels().size(), got.length);
        }
        logits.put(name, out);
      }
    }
    float[] reference = logits.get("pytorch");
    int labels = model.labels().size();
    for (String name : BACKENDS) {
      float[] got = logits.get(name);
      double worst = 0;
      for (int i = 0; i < files.size(); i++) {
        double scale = 1;
        int refTop = 0;
        int top = 0;
        for (int j = 0; j < labels; j++) {
          scale = Math.max(scale, Math.abs(reference[i * labels + j]));
          refTop = reference[i * labels + j] > reference[i * labels + refTop] ? j : refTop;
          top = got[i * labels + j] > got[i * labels + top] ? j : top;
        }
        for (int j = 0; j < labels; j++) {
          double diff = Math.abs(reference[i * labels + j] - got[i * labels + j]) / scale;
          worst = Math.max(worst, diff);
          assertTrue(diff <= BackendContractTest.TOLERANCE, name + " vs pytorch, "
              + model.metadata().name() + ", " + files.get(i).getFileName() + " logit " + j + ": "
              + got[i * labels + j] + " vs " + reference[i * labels + j]);
        }
        assertEquals(refTop, top, name + " top-1 differs from pytorch on " + files.get(i).getFileName());
      }
      System.out.printf("%s vs pytorch on %s, %d images: worst relative difference %.2e%n", name,
          model.metadata().name(), files.size(), worst);
    }
  }

}
