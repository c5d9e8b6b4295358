package io.github.emotion4j.spark;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifierBuilder;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.ModelPackage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link EmotionSpark} classifies with, mirroring {@link EmotionClassifierBuilder}: backend,
 * device, model, label view and batch size, plus which input column holds the images. Immutable;
 * start from {@link #defaults()} and derive copies:
 *
 * <pre>{@code
 * SparkEmotionOptions options = SparkEmotionOptions.defaults()
 *     .withBackend("native")     // zero-setup, pure JVM; default: best available on each executor
 *     .withBatchSize(64);
 * }</pre>
 *
 * <p>The model is resolved on the driver (by name through the zoo, from a package file, or as
 * given) and shipped to the executors once as a broadcast variable, so executors need neither the
 * network nor the model file.
 *
 * @since 0.1
 */
public final class SparkEmotionOptions {

  /** The default number of images sent to the backend at once. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private static final SparkEmotionOptions DEFAULTS =
      new SparkEmotionOptions(null, Device.AUTO, EmotionClassifierBuilder.DEFAULT_MODEL, null, null,
          null, DEFAULT_BATCH_SIZE, null, false);

  private final String backend;
  private final Device device;
  private final String modelName;
  private final Path modelPath;
  private final ModelPackage modelPackage;
  private final LabelSet labels;
  private final int batchSize;
  private final String inputColumn;
  private final boolean faces;

  private SparkEmotionOptions(String backend, Device device, String modelName, Path modelPath,
      ModelPackage modelPackage, LabelSet labels, int batchSize, String inputColumn,
      boolean faces) {
    this.backend = backend;
    this.device = device;
    this.modelName = modelName;
    this.modelPath = modelPath;
    this.modelPackage = modelPackage;
    this.labels = labels;
    this.batchSize = batchSize;
    this.inputColumn = inputColumn;
    this.faces = faces;
  }

  /**
   * Returns the defaults: best available backend, {@link Device#AUTO}, the bundled model {@value
   * EmotionClassifierBuilder#DEFAULT_MODEL}, the model's labels, batches of {@value
   * #DEFAULT_BATCH_SIZE}, and the input column found from the schema.
   *
   * @return the default options
   */
  public static SparkEmotionOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a copy that runs on the named backend ({@code "native"}, {@code "onnxruntime"},
   * {@code "pytorch"}, {@code "tensorflow"}); {@code null} picks the best available on each
   * executor.
   *
   * @param name the backend's name, or null
   * @return the copy
   */
  public SparkEmotionOptions withBackend(String name) {
    return new SparkEmotionOptions(name, device, modelName, modelPath, modelPackage, labels,
        batchSize, inputColumn, faces);
  }

  /**
   * Returns a copy that runs on this device.
   *
   * @param d CPU, GPU or AUTO
   * @return the copy
   */
  public SparkEmotionOptions withDevice(Device d) {
    return new SparkEmotionOptions(backend, Objects.requireNonNull(d, "device"), modelName,
        modelPath, modelPackage, labels, batchSize, inputColumn, faces);
  }

  /**
   * Returns a copy that uses the zoo's model of that name (resolved on the driver).
   *
   * @param name {@code "name"} or {@code "name:version"}
   * @return the copy
   */
  public SparkEmotionOptions withModel(String name) {
    return new SparkEmotionOptions(backend, device, Objects.requireNonNull(name, "name"), null,
        null, labels, batchSize, inputColumn, faces);
  }

  /**
   * Returns a copy that uses the model package at this path (a folder or zip on the driver).
   *
   * @param path the package
   * @return the copy
   */
  public SparkEmotionOptions withModel(Path path) {
    return new SparkEmotionOptions(backend, device, null, Objects.requireNonNull(path, "path"),
        null, labels, batchSize, inputColumn, faces);
  }

  /**
   * Returns a copy that uses this model package.
   *
   * @param model the package
   * @return the copy
   */
  public SparkEmotionOptions withModel(ModelPackage model) {
    return new SparkEmotionOptions(backend, device, null, null,
        Objects.requireNonNull(model, "model"), labels, batchSize, inputColumn, faces);
  }

  /**
   * Returns a copy whose results are given over a subset of the model's labels (renormalised), as
   * {@link EmotionClassifierBuilder#labels(LabelSet)} does; {@code null} keeps the model's labels.
   *
   * @param view the labels wanted, or null
   * @return the copy
   */
  public SparkEmotionOptions withLabels(LabelSet view) {
    return new SparkEmotionOptions(backend, device, modelName, modelPath, modelPackage, view,
        batchSize, inputColumn, faces);
  }

  /**
   * Returns a copy that sends this many images of a partition to the backend at once.
   *
   * @param size at least 1
   * @return the copy
   */
  public SparkEmotionOptions withBatchSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    return new SparkEmotionOptions(backend, device, modelName, modelPath, modelPackage, labels,
        size, inputColumn, faces);
  }

  /**
   * Returns a copy that reads images from this column: binary (encoded image bytes) or string (a
   * path or URI that every executor can read, through Hadoop's file systems). {@code null} finds it:
   * {@code content} (Spark's {@code binaryFile} source), else {@code image}, else {@code path}.
   *
   * @param column the column's name, or null
   * @return the copy
   */
  public SparkEmotionOptions withInputColumn(String column) {
    return new SparkEmotionOptions(backend, device, modelName, modelPath, modelPackage, labels,
        batchSize, column, faces);
  }

  /**
   * Returns a copy that, with {@code true}, finds every face in each image first (with the best
   * {@link io.github.emotion4j.face.FaceDetector} on the executors' class path, e.g. {@code
   * emotion4j-faces-yunet}) and classifies each face, as {@link
   * io.github.emotion4j.face.FaceEmotionAnalyzer} does. The rows then get a {@value
   * EmotionSpark#FACES} column, and the top label and probabilities are those of the largest face
   * (null when the image has none). Default {@code false}: each image is one face.
   *
   * @param find whether to find faces first
   * @return the copy
   */
  public SparkEmotionOptions withFaces(boolean find) {
    return new SparkEmotionOptions(backend, device, modelName, modelPath, modelPackage, labels,
        batchSize, inputColumn, find);
  }

  /**
   * Returns whether faces are found first.
   *
   * @return true when each image is searched for faces
   */
  public boolean faces() {
    return faces;
  }

  /**
   * Returns the backend's name, or null for the best available.
   *
   * @return the name or null
   */
  public String backend() {
    return backend;
  }

  /**
   * Returns the device.
   *
   * @return CPU, GPU or AUTO
   */
  public Device device() {
    return device;
  }

  /**
   * Returns the zoo model's name, or null when a path or package was given.
   *
   * @return the name or null
   */
  public String modelName() {
    return modelName;
  }

  /**
   * Returns the model package's path, or null.
   *
   * @return the path or null
   */
  public Path modelPath() {
    return modelPath;
  }

  /**
   * Returns the model package given, or null.
   *
   * @return the package or null
   */
  public ModelPackage modelPackage() {
    return modelPackage;
  }

  /**
   * Returns the label view, or null for the model's labels.
   *
   * @return the view or null
   */
  public LabelSet labels() {
    return labels;
  }

  /**
   * Returns the batch size.
   *
   * @return at least 1
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Returns the input column, or null to find it from the schema.
   *
   * @return the column or null
   */
  public String inputColumn() {
    return inputColumn;
  }

  /** Resolves the model on the driver: the given package, the file, or the zoo's by name. */
  ModelPackage resolveModel() {
    if (modelPackage != null) {
      return modelPackage;
    }
    if (modelPath != null) {
      return ModelPackage.load(modelPath);
    }
    return io.github.emotion4j.zoo.ModelZoo.fromEnvironment().load(modelName);
  }

  @Override
  public String toString() {
    return "SparkEmotionOptions{backend=" + (backend == null ? "auto" : backend) + ", device="
        + device + ", model="
        + (modelPackage != null ? modelPackage.metadata().name() + " (package)"
            : modelPath != null ? modelPath : modelName)
        + ", labels=" + (labels == null ? "model's" : labels.labels()) + ", batchSize=" + batchSize
        + ", inputColumn=" + (inputColumn == null ? "auto" : inputColumn) + ", faces=" + faces + "}";
  }
}
