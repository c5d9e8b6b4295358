package io.github.emotion4j;

import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.internal.Backends;
import io.github.emotion4j.internal.DefaultEmotionClassifier;
import io.github.emotion4j.internal.ModelResolver;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.ModelMetadata;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.DeviceResolver;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.zoo.ModelZoo;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures an {@link EmotionClassifier}. Every option has a default; {@link #build()} checks them
 * all, then returns a working classifier or throws. Not thread-safe; the classifier it builds is.
 *
 * <p>Backend precedence: {@link #backend(String)}, else the {@code emotion4j.backend} system
 * property, else the {@code EMOTION4J_BACKEND} environment variable, else {@code "auto"}: the
 * available backend of lowest rank (native 10, onnxruntime 20, pytorch 30, tensorflow 40).
 *
 * @since 0.1
 */
public final class EmotionClassifierBuilder {
  /** The model used when none is given: the bundled FER2013 network. */
  public static final String DEFAULT_MODEL = "fer2013-vgg-bn";

  private static final Logger log = LoggerFactory.getLogger(EmotionClassifierBuilder.class);

  private String backend;
  private Device device = Device.AUTO;
  private ModelPackage modelPackage;
  private Path modelPath;
  private String modelName = DEFAULT_MODEL;
  private ExternalModel externalModel;
  private ModelZoo zoo;
  private LabelSet labels;
  private ImageLimits imageLimits = ImageLimits.DEFAULT;
  private int batchSize = 32;
  private boolean flipAveraging;
  private EngineOptions engineOptions = EngineOptions.DEFAULT;

  EmotionClassifierBuilder() {}

  /**
   * Chooses the backend by name: {@code "native"}, {@code "pytorch"}, {@code "onnxruntime"}, {@code
   * "tensorflow"} or {@code "auto"}, case-insensitive. Default: see the class description.
   *
   * @param name the backend's name
   * @return this builder
   */
  public EmotionClassifierBuilder backend(String name) {
    this.backend = Objects.requireNonNull(name, "name");
    return this;
  }

  /**
   * Chooses the device. Default {@link Device#AUTO}.
   *
   * @param device CPU, GPU or AUTO
   * @return this builder
   */
  public EmotionClassifierBuilder device(Device device) {
    this.device = Objects.requireNonNull(device, "device");
    return this;
  }

  /**
   * Uses a model by name: a model the library bundles, or one the model zoo finds (bundled, then
   * the local directory, the download cache, then the HTTP(S) mirror; see {@link ModelZoo}).
   * Default {@value #DEFAULT_MODEL}.
   *
   * @param name {@code "name"} or {@code "name:version"}, e.g. {@code "fer2013-vgg-bn:1.0.0"};
   *     without a version, the highest version of the first repository that has the name
   * @return this builder
   */
  public EmotionClassifierBuilder model(String name) {
    this.modelName = Objects.requireNonNull(name, "name");
    this.modelPath = null;
    this.modelPackage = null;
    this.externalModel = null;
    return this;
  }

  /**
   * Sets the model zoo that {@link #model(String)} asks, e.g. one with a mirror URL, offline mode
   * or a progress listener. Default {@link ModelZoo#fromEnvironment()}, read at {@link #build()}.
   *
   * @param modelZoo the zoo
   * @return this builder
   */
  public EmotionClassifierBuilder zoo(ModelZoo modelZoo) {
    this.zoo = Objects.requireNonNull(modelZoo, "modelZoo");
    return this;
  }

  /**
   * Uses a model in an engine's own format with its JSON sidecar: a TorchScript {@code .pt}
   * (pytorch backend), an {@code .onnx} file (onnxruntime) or a SavedModel folder (tensorflow).
   * Loading TorchScript or a SavedModel runs code from the file: use trusted files only.
   *
   * @param file the model file or SavedModel folder
   * @param sidecar the JSON sidecar with labels and input contract (see {@link ModelSidecar})
   * @return this builder
   * @throws ModelPackageException if either file is missing or the sidecar is invalid
   */
  public EmotionClassifierBuilder externalModel(Path file, Path sidecar) {
    return externalModel(file, ModelSidecar.read(sidecar));
  }

  /**
   * Uses a model in an engine's own format, described by a sidecar already read (for example the
   * one an exported ONNX file or SavedModel carries inside).
   *
   * @param file the model file or SavedModel folder
   * @param sidecar what the model takes and gives
   * @return this builder
   * @throws ModelPackageException if the file is missing or of no known format
   */
  public EmotionClassifierBuilder externalModel(Path file, ModelSidecar sidecar) {
    this.externalModel = ExternalModel.of(file, sidecar);
    this.modelPath = null;
    this.modelPackage = null;
    return this;
  }

  /**
   * Uses a model package folder or zip on disk.
   *
   * @param path the package
   * @return this builder
   */
  public EmotionClassifierBuilder model(Path path) {
    this.modelPath = Objects.requireNonNull(path, "path");
    this.modelPackage = null;
    this.externalModel = null;
    return this;
  }

  /**
   * Uses a model package already in memory, e.g. one just trained.
   *
   * @param model the package
   * @return this builder
   */
  public EmotionClassifierBuilder model(ModelPackage model) {
    this.modelPackage = Objects.requireNonNull(model, "model");
    this.modelPath = null;
    this.externalModel = null;
    return this;
  }

  /**
   * Gives results over a subset of the model's labels, renormalised: {@link LabelSet#PAPER_FOUR}
   * views a seven-class model as the paper's four classes. Default: the model's own labels.
   *
   * @param view the labels wanted
   * @return this builder
   */
  public EmotionClassifierBuilder labels(LabelSet view) {
    this.labels = Objects.requireNonNull(view, "view");
    return this;
  }

  /**
   * Sets the bounds on accepted images. Default {@link ImageLimits#DEFAULT}.
   *
   * @param limits the bounds
   * @return this builder
   */
  public EmotionClassifierBuilder imageLimits(ImageLimits limits) {
    this.imageLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * Sets how many images the batch methods send to the backend at once. Default 32.
   *
   * @param size at least 1
   * @return this builder
   */
  public EmotionClassifierBuilder batchSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + size);
    }
    this.batchSize = size;
    return this;
  }

  /**
   * Averages each face's probabilities with those of its mirror image. Off by default: it doubles
   * the inference work, and docs/RESULTS.md gives what it gains on FER2013 and on other photos.
   *
   * @param on whether to average with the mirror image
   * @return this builder
   */
  public EmotionClassifierBuilder flipAveraging(boolean on) {
    this.flipAveraging = on;
    return this;
  }

  /**
   * Sets how the engine uses the host: threads, and ONNX Runtime's graph optimisation and memory
   * arena. Default {@link EngineOptions#DEFAULT}. PyTorch's threads are per process.
   *
   * @param options the options
   * @return this builder
   */
  public EmotionClassifierBuilder engineOptions(EngineOptions options) {
    this.engineOptions = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * Loads the model, picks the backend and device, and starts the engine.
   *
   * @return a ready classifier, to be closed by the caller
   * @throws io.github.emotion4j.zoo.ModelNotFoundException if no repository of the zoo has the
   *     named model; the message lists the models that exist
   * @throws io.github.emotion4j.zoo.ZooException if the named model could not be downloaded or
   *     does not match its sha256
   * @throws ModelPackageException if the model cannot be read
   * @throws BackendUnavailableException if the backend cannot be found or started
   * @throws DeviceUnavailableException if the device is not present
   */
  public EmotionClassifier build() {
    ModelPackage model = externalModel != null ? null
        : modelPackage != null ? modelPackage
        : modelPath != null ? ModelPackage.load(modelPath)
        : ModelResolver.resolve(modelName, zoo != null ? zoo : ModelZoo.fromEnvironment());
    ModelMetadata metadata = model != null ? model.metadata() : externalModel.metadata();
    if (labels != null && !metadata.labels().containsAll(labels)) {
      throw new IllegalArgumentException(
          "Cannot view model \"" + metadata.name() + "\" with labels "
              + metadata.labels().labels() + " as " + labels.labels());
    }
    EmotionBackend chosen = Backends.discover().select(backend);
    Device concrete = resolveDevice(chosen, device);
    RunnableNetwork network = model != null
        ? chosen.load(model, concrete, engineOptions) : chosen.loadExternal(externalModel, concrete, engineOptions);
    log.info("emotion4j classifier: backend {}, device {}, model {} {}",
        chosen.name(), network.device(), metadata.name(), metadata.version());
    return new DefaultEmotionClassifier(chosen.name(), network, metadata, labels, imageLimits,
        batchSize, externalModel != null
            && externalModel.sidecar().output() == ModelSidecar.OutputKind.PROBABILITIES, flipAveraging);
  }

  /**
   * Maps a requested device to one the backend has; only AUTO falls back.
   *
   * @param backend the chosen backend
   * @param requested the requested device
   * @return CPU or GPU
   * @throws DeviceUnavailableException listing the devices present
   */
  static Device resolveDevice(EmotionBackend backend, Device requested) {
    Set<Device> present = backend.devices();
    Device chosen = DeviceResolver.resolve(backend.name(), present, requested);
    log.debug("Device {} on backend {} chose {} (present: {})", requested, backend.name(), chosen, present);
    return chosen;
  }
}
