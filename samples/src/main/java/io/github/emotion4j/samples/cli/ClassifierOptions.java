package io.github.emotion4j.samples.cli;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionClassifierBuilder;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that pick a classifier's backend, device, model and label view, shared by commands. */
final class ClassifierOptions {
  /** The {@code --backend} option. */
  @Option(names = "--backend", paramLabel = "B",
      description = "native, pytorch, onnxruntime, tensorflow or auto (default: the emotion4j.backend "
          + "property, EMOTION4J_BACKEND, else auto).")
  String backend;

  /** The {@code --device} option. */
  @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
      description = "cpu, gpu or auto (default ${DEFAULT-VALUE}).")
  String device;

  /** The {@code --model} option. */
  @Option(names = "--model", paramLabel = "M",
      description = "A model name or a package path, folder or .zip (default: the bundled model).")
  String model;

  /** The {@code --threads} option. */
  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Intra-op threads for pytorch and onnxruntime (default: one per processor). On a "
          + "machine another process keeps busy, fewer threads are faster (docs/TUNING.md).")
  int threads;

  /** The {@code --inter-op-threads} option. */
  @Option(names = "--inter-op-threads", paramLabel = "N", defaultValue = "0",
      description = "Inter-op threads for pytorch and onnxruntime (default: the engine's).")
  int interOpThreads;

  /** The {@code --labels} option. */
  @Option(names = "--labels", paramLabel = "7|4",
      description = "4 views a seven-class model as the paper's four classes (default: the model's own).")
  String labels;

  /** The {@code --flip-averaging} option. */
  @Option(names = "--flip-averaging",
      description = "Average each face's scores with its mirror image's (twice the inference; see docs/RESULTS.md).")
  boolean flipAveraging;

  /**
   * Returns a builder set from the options.
   *
   * @return the builder, not yet built
   * @throws IllegalArgumentException if a device, label, thread count or model argument is malformed
   */
  EmotionClassifierBuilder builder() {
    EmotionClassifierBuilder b = EmotionClassifier.builder().device(Device.parse(device))
        .engineOptions(EngineOptions.DEFAULT.withThreads(threads, interOpThreads)).flipAveraging(flipAveraging);
    if (backend != null) {
      b.backend(backend);
    }
    if (model != null) {
      Path path = modelPath(model);
      if (path != null) {
        b.model(path);
      } else {
        b.model(model);
      }
    }
    if (labels != null) {
      b.labels(LabelSet.parse(labels));
    }
    return b;
  }

  /**
   * Returns the model argument as a path if it names one, null if it is a model name.
   *
   * @param model the --model argument
   * @return the path, or null for a name
   * @throws IllegalArgumentException if it looks like a path but nothing is there
   */
  static Path modelPath(String model) {
    Path p = Path.of(model);
    if (Files.exists(p)) {
      return p;
    }
    if (model.contains("/") || model.contains("\\") || model.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      throw new IllegalArgumentException("No model package at " + model + " (no such file or folder)");
    }
    return null;
  }

  /**
   * Loads the package a model argument names: a package path, folder or .zip, else a model name
   * looked up in the zoo ({@code ModelZoo.fromEnvironment()}).
   *
   * @param model the argument
   * @return the verified package
   * @throws IllegalArgumentException if it looks like a path but nothing is there
   */
  static ModelPackage loadPackage(String model) {
    Path path = modelPath(model);
    return path != null ? ModelPackage.load(path) : ModelZoo.fromEnvironment().load(model);
  }
}
