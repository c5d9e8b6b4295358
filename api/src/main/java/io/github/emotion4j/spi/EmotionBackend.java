package io.github.emotion4j.spi;

import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelPackage;
import java.util.Set;

/**
 * An inference engine behind {@link io.github.emotion4j.EmotionClassifier}, found by {@link
 * java.util.ServiceLoader}. Implementations need a public no-argument constructor, must be cheap to
 * construct (no native library loaded) and thread-safe.
 *
 * <p>Lifecycle: the api instantiates each registered backend once per lookup, calls {@link
 * #name()}, {@link #rank()}, {@link #spiVersion()} and {@link #availability()} to choose one, then
 * {@link #devices()} and {@link #load(ModelPackage, Device, EngineOptions)} (or {@link
 * #loadExternal(ExternalModel, Device, EngineOptions)}) on the chosen one only.
 *
 * @since 0.1
 */
public interface EmotionBackend {
  /** The SPI's major version. A backend compiled against another major version is not used. */
  int SPI_VERSION = 1;

  /**
   * Returns the backend's name: lower-case, e.g. {@code "native"}, {@code "pytorch"}.
   *
   * @return the name hosts select it by
   */
  String name();

  /**
   * Returns where the backend stands in AUTO's order: lower is preferred.
   *
   * @return the rank
   */
  int rank();

  /**
   * Returns the SPI version the backend was compiled against: implement it as {@code return
   * SPI_VERSION;} so the constant is taken from the api the backend was built with.
   *
   * @return the backend's SPI version
   */
  int spiVersion();

  /**
   * Tells, cheaply and without loading natives where possible, whether the backend can run here.
   *
   * @return available, or not with the reason
   */
  BackendAvailability availability();

  /**
   * Returns the concrete devices ({@link Device#CPU}, {@link Device#GPU}) this backend can use on
   * this machine. Called once when a classifier is built; may start the engine.
   *
   * @return the devices present, never containing {@link Device#AUTO}
   */
  Set<Device> devices();

  /**
   * Builds a runnable network for a model package on a concrete device. Called once per classifier.
   * Engine errors must not cross this boundary: throw the api's typed exceptions ({@link
   * io.github.emotion4j.ModelPackageException} for a layer or weights the backend cannot run, {@link
   * io.github.emotion4j.BackendUnavailableException} when the engine cannot start, {@link
   * io.github.emotion4j.DeviceUnavailableException} for the device).
   *
   * @param model the package, already validated
   * @param device {@link Device#CPU} or {@link Device#GPU}, one of {@link #devices()}
   * @return the network, owned and closed by the caller
   */
  RunnableNetwork load(ModelPackage model, Device device);

  /**
   * Builds a runnable network as {@link #load(ModelPackage, Device)} does, with the host's engine
   * options (threads, graph optimisation, memory arena). Called once per classifier, instead of
   * the two-argument form; the default ignores the options, so override it where they apply.
   *
   * @param model the package, already validated
   * @param device {@link Device#CPU} or {@link Device#GPU}, one of {@link #devices()}
   * @param options the host's engine options
   * @return the network, owned and closed by the caller
   */
  default RunnableNetwork load(ModelPackage model, Device device, EngineOptions options) {
    return load(model, device);
  }

  /**
   * Loads an external model as {@link #loadExternal(ExternalModel, Device)} does, with the host's
   * engine options. Called once per classifier; the default ignores the options.
   *
   * @param model the external model
   * @param device {@link Device#CPU} or {@link Device#GPU}, one of {@link #devices()}
   * @param options the host's engine options
   * @return the network, owned and closed by the caller
   */
  default RunnableNetwork loadExternal(ExternalModel model, Device device, EngineOptions options) {
    return loadExternal(model, device);
  }

  /**
   * Loads a model in the engine's own format (TorchScript, ONNX, SavedModel) described by a
   * sidecar. The network takes NCHW batches and returns the model's output as it is: logits, or
   * probabilities where the sidecar says so (the classifier then skips softmax); a backend converts
   * an NHWC model's input itself and honours the sidecar's tensor names. The default refuses: only
   * backends whose engine reads the format override it.
   *
   * @param model the external model
   * @param device {@link Device#CPU} or {@link Device#GPU}, one of {@link #devices()}
   * @return the network, owned and closed by the caller
   * @throws io.github.emotion4j.ModelPackageException if this backend cannot read the format
   */
  default RunnableNetwork loadExternal(ExternalModel model, Device device) {
    throw new io.github.emotion4j.ModelPackageException(
        "The " + name() + " backend cannot run " + model.format() + " files (" + model.file()
            + "). TorchScript runs on pytorch, ONNX on onnxruntime, SavedModels on tensorflow.");
  }
}
