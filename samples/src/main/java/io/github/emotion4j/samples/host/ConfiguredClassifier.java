package io.github.emotion4j.samples.host;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionClassifierBuilder;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.LabelSet;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Builds an {@link EmotionClassifier} from configuration properties, so a host application (or its
 * framework: Spring, Quarkus, Micronaut…) swaps PyTorch, TensorFlow, ONNX Runtime or the native
 * engine by editing one key, with no code change:
 *
 * <pre>
 * # application.properties
 * emotion.backend=pytorch        # native, pytorch, onnxruntime, tensorflow or auto
 * emotion.model=models/fer2013-vgg-bn.zip   # a package path, or a bundled model's name
 * emotion.device=auto            # cpu, gpu or auto
 * emotion.labels=7               # or 4: the paper's four classes
 * </pre>
 *
 * <p>Every key is optional: a missing {@value #BACKEND} leaves the choice to the library (the {@code
 * emotion4j.backend} system property, the {@code EMOTION4J_BACKEND} variable, then the best available
 * backend); a missing {@value #MODEL} means the bundled default. The backend's jar must be on the
 * class path: add the {@code emotion4j-backend-*} artifacts the deployments may choose from.
 *
 * <p>In a dependency-injection container, make {@link #create} the factory of a singleton bean and
 * let the container close it on shutdown; the classifier is thread-safe.
 */
public final class ConfiguredClassifier {
  /** The key naming the backend. */
  public static final String BACKEND = "emotion.backend";
  /** The key naming the model: a package path, or a model name. */
  public static final String MODEL = "emotion.model";
  /** The key naming the device: cpu, gpu or auto. */
  public static final String DEVICE = "emotion.device";
  /** The key naming the label view: 7 or 4. */
  public static final String LABELS = "emotion.labels";

  private ConfiguredClassifier() {}

  /**
   * Returns a builder configured from the properties, not yet built (nothing is loaded).
   *
   * @param config the properties; unknown keys are ignored
   * @return the builder
   * @throws IllegalArgumentException if a device or label value cannot be parsed
   */
  public static EmotionClassifierBuilder builder(Properties config) {
    EmotionClassifierBuilder b = EmotionClassifier.builder();
    String backend = value(config, BACKEND);
    if (backend != null) {
      b.backend(backend);
    }
    String model = value(config, MODEL);
    if (model != null) {
      Path path = Path.of(model);
      if (Files.exists(path)) {
        b.model(path);
      } else {
        b.model(model);
      }
    }
    String device = value(config, DEVICE);
    if (device != null) {
      b.device(Device.parse(device));
    }
    String labels = value(config, LABELS);
    if (labels != null) {
      b.labels(LabelSet.parse(labels));
    }
    return b;
  }

  /**
   * Builds the classifier the properties describe.
   *
   * @param config the properties
   * @return a ready classifier, closed by the caller
   * @throws io.github.emotion4j.Emotion4jException if the backend, device or model is not available
   */
  public static EmotionClassifier create(Properties config) {
    return builder(config).build();
  }

  /**
   * Reads a properties file (UTF-8).
   *
   * @param file the file
   * @return its properties
   * @throws IOException if it cannot be read
   */
  public static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  /**
   * Classifies images with the engine a properties file names: {@code java ... ConfiguredClassifier
   * app.properties face1.jpg face2.jpg}.
   *
   * @param args the properties file, then image files
   * @throws IOException if the properties file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ConfiguredClassifier <file.properties> <image>...");
      System.exit(2);
    }
    try (EmotionClassifier classifier = create(load(Path.of(args[0])))) {
      System.out.println("backend " + classifier.backend() + " on " + classifier.device()
          + ", model " + classifier.model().name() + " " + classifier.model().version());
      for (int i = 1; i < args.length; i++) {
        EmotionScores s = classifier.classify(Path.of(args[i]));
        System.out.printf("%s: %s (%.0f%%)%n", args[i], s.top().label(), 100 * s.top().probability());
      }
    }
  }

  private static String value(Properties config, String key) {
    String v = config.getProperty(key);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
