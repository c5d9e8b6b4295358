package io.github.emotion4j.testing;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.model.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Shared test inputs: the data sets beside the project, and packages with seeded weights. */
public final class TestData {
  private TestData() {}

  /**
   * Returns the shared data sets folder ({@code ../shared/datasets}), set by Maven as the system
   * property {@code emotion4j.datasets}; tests that need it are skipped when it is absent.
   */
  public static Path datasets() {
    String p = System.getProperty("emotion4j.datasets");
    Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared", "datasets");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("..", "shared", "datasets");
    }
    Assumptions.assumeTrue(Files.isDirectory(dir), "shared data sets not found at " + dir);
    return dir.toAbsolutePath().normalize();
  }

  /** Returns {@code datasets/fer2013/<split>}. */
  public static Path fer2013(String split) {
    return datasets().resolve("fer2013").resolve(split);
  }

  /** Returns the folder of face crops from another collection. */
  public static Path otherFaces() {
    return datasets().resolve("faces-other-source").resolve("images");
  }

  /**
   * Returns the first {@code perLabel} images of each emotion folder of a FER2013 split, sorted by
   * name, labels in FER2013 order: a fixed, balanced sample.
   */
  public static List<Path> fer2013Sample(String split, int perLabel) {
    List<Path> out = new ArrayList<>();
    for (String label : LabelSet.FER2013.labels()) {
      try (Stream<Path> files = Files.list(fer2013(split).resolve(label))) {
        files.sorted().limit(perLabel).forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The files of {@code src/test/resources/images/formats}: one face in every format we read. */
  public static final List<String> IMAGE_FORMATS = List.of("face.png", "face-lossy.webp",
      "face-lossless.webp", "face-alpha.webp", "face-webp-named.jpg", "face-cmyk.jpg",
      "face-progressive.jpg", "face-16bit.png", "face-gray16.png", "face-palette.png", "face-alpha.png", "face.bmp",
      "face.gif");

  /**
   * Returns one of {@link #IMAGE_FORMATS}: a 128x128 crop of a happy face from the other
   * collection, written by ImageMagick and libwebp's {@code cwebp} (lossy q80, lossless, lossy with
   * alpha; a lossy WebP named {@code .jpg}; CMYK and progressive JPEG; 16-bit RGB and gray, palette
   * and gray+alpha PNG; BMP; GIF). {@code face.png} is the reference the others are compared with.
   *
   * @param name the file name
   * @return its bytes
   */
  public static byte[] imageFormat(String name) {
    try (var in = TestData.class.getResourceAsStream("/images/formats/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test image images/formats/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the first {@code n} images of the other collection, sorted by name. */
  public static List<Path> otherFacesSample(int n) {
    try (Stream<Path> files = Files.list(otherFaces())) {
      return files.sorted(Comparator.naturalOrder()).limit(n).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes and preprocesses files exactly as the classifier does, into one batch.
   *
   * @param model whose input contract to follow
   * @param files the images
   * @return the batch, CHW per image
   */
  public static float[] preprocessed(ModelPackage model, List<Path> files) {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor pre = new ImagePreprocessor(model.input());
    int size = model.input().imageSize();
    float[] data = new float[files.size() * size];
    for (int i = 0; i < files.size(); i++) {
      pre.preprocess(decoder.decode(files.get(i)), null, data, i * size);
    }
    return data;
  }

  /**
   * Builds a package for a layer list with seeded random weights: He-style scale for convolution
   * and dense weights, small random biases, and batch-norm statistics away from the identity so
   * that folding them is really exercised.
   */
  public static ModelPackage randomPackage(
      String name, InputContract input, List<LayerSpec> layers, LabelSet labels, long seed) {
    NetworkSummary summary = NetworkSummary.of(input, layers, labels.size());
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    summary.tensorShapes().forEach((tensorName, shape) -> {
      int n = (int) Tensor.elementCount(shape);
      float[] v = new float[n];
      String suffix = tensorName.substring(tensorName.lastIndexOf('.') + 1);
      int fanIn = shape.length > 1 ? n / shape[0] : 1;
      for (int i = 0; i < n; i++) {
        double g = random.nextDouble(-1, 1);
        switch (suffix) {
          case "weight" -> v[i] = (float) (shape.length > 1 ? g * Math.sqrt(6.0 / fanIn) : 1 + 0.3 * g);
          case "bias" -> v[i] = (float) (0.1 * g);
          case "running_mean" -> v[i] = (float) (0.2 * g);
          default -> v[i] = (float) (0.5 + random.nextDouble()); // running_var
        }
      }
      tensors.put(tensorName, new Tensor(shape, v));
    });
    return ModelPackage.create(name, "0.0.1-test", labels, input, layers, tensors,
        ModelProvenance.now(ModelProvenance.SOURCE_UNTRAINED, "test", "none", "none"));
  }

  /** A preset's package for FER2013 input and labels with seeded random weights. */
  public static ModelPackage randomPreset(NetworkPreset preset, long seed) {
    return randomPackage("test-" + preset.id(), InputContract.FER2013,
        preset.layers(LabelSet.FER2013.size()), LabelSet.FER2013, seed);
  }
}
