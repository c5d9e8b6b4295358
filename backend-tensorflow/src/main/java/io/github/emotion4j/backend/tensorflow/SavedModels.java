package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.internal.DefaultEmotionClassifier;
import io.github.emotion4j.model.ModelMetadata;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifiers over TensorFlow SavedModels made elsewhere (Keras, TF Serving exports) or by {@link
 * SavedModelExporter}. The api's preprocessing, softmax and labels apply unchanged; the sidecar
 * (see {@link SavedModelSidecar}) says how the model's tensors map onto them.
 *
 * <pre>{@code
 * try (EmotionClassifier c = SavedModels.classifier(Path.of("my-savedmodel"), Path.of("my-savedmodel.json"))) {
 *   EmotionScores s = c.classify(Path.of("face.jpg"));
 * }
 * }</pre>
 *
 * <p>The classifier is thread-safe and owns the loaded model: close it to free TensorFlow's memory.
 *
 * @since 0.1
 */
public final class SavedModels {
  private static final Logger log = LoggerFactory.getLogger(SavedModels.class);
  private static final int DEFAULT_BATCH = 32;

  private SavedModels() {}

  /**
   * Loads a SavedModel on the CPU, described by a sidecar file.
   *
   * @param savedModelDir the folder holding {@code saved_model.pb}
   * @param sidecar the sidecar JSON (for an exported SavedModel: {@code
   *     <dir>/}{@value SavedModelExporter#SIDECAR_PATH})
   * @return a classifier, owned and closed by the caller
   * @throws ModelPackageException if the folder, the sidecar or the model is invalid
   * @throws io.github.emotion4j.BackendUnavailableException if TensorFlow cannot start
   */
  public static EmotionClassifier classifier(Path savedModelDir, Path sidecar) {
    return classifier(savedModelDir, SavedModelSidecar.read(sidecar), Device.CPU);
  }

  /**
   * Loads a SavedModel exported by {@link SavedModelExporter}, reading the sidecar it holds.
   *
   * @param savedModelDir the exported folder
   * @return a classifier, owned and closed by the caller
   * @throws ModelPackageException if the folder is not an exported SavedModel
   */
  public static EmotionClassifier classifier(Path savedModelDir) {
    Path sidecar = savedModelDir.resolve(SavedModelExporter.SIDECAR_PATH);
    if (!Files.isRegularFile(sidecar)) {
      throw new ModelPackageException("The SavedModel " + savedModelDir + " has no "
          + SavedModelExporter.SIDECAR_PATH + ": pass the sidecar's path to classifier(dir, sidecar)");
    }
    return classifier(savedModelDir, sidecar);
  }

  /**
   * Loads a SavedModel described by a sidecar on a device.
   *
   * @param savedModelDir the folder holding {@code saved_model.pb}
   * @param sidecar what the model takes and gives
   * @param device CPU, GPU, or AUTO (GPU when TensorFlow sees one)
   * @return a classifier, owned and closed by the caller
   * @throws ModelPackageException if the folder or the model is invalid
   * @throws DeviceUnavailableException if GPU was asked for and TensorFlow sees none
   */
  public static EmotionClassifier classifier(Path savedModelDir, SavedModelSidecar sidecar, Device device) {
    Objects.requireNonNull(savedModelDir, "savedModelDir");
    Objects.requireNonNull(sidecar, "sidecar");
    Objects.requireNonNull(device, "device");
    Path pb = savedModelDir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new ModelPackageException(
          "No TensorFlow SavedModel at " + savedModelDir + ": expected a folder holding saved_model.pb");
    }
    TensorFlowBackend backend = new TensorFlowBackend();
    Device concrete = device;
    if (device == Device.AUTO) {
      concrete = backend.devices().contains(Device.GPU) ? Device.GPU : Device.CPU;
    } else if (!backend.devices().contains(device)) {
      throw DeviceUnavailableException.notPresent(TensorFlowBackend.NAME, device, backend.devices());
    }
    String sha;
    try {
      sha = AtomicFiles.sha256(Files.readAllBytes(pb));
    } catch (IOException e) {
      throw new ModelPackageException("Could not read " + pb + ": " + e, e);
    }
    ModelProvenance external = ModelProvenance.now(ModelProvenance.SOURCE_EXTERNAL,
        TensorFlowBackend.NAME, TensorFlowEngine.ENGINE_NAME, TensorFlowEngine.get().getVersion());
    external = new ModelProvenance(external.source(), ModelProvenance.UNKNOWN, external.emotion4jVersion(),
        ModelProvenance.UNKNOWN, external.engine(), external.engineVersion(), external.javaVersion(),
        external.osName(), external.osArch(), null, null, null, sha);
    ModelMetadata metadata = new ModelMetadata(ModelPackage.FORMAT_VERSION, sidecar.name(),
        sidecar.version(), sidecar.labels(), sidecar.input(), List.of(), sha, external);
    TensorFlowNetwork network = TensorFlowNetwork.load(savedModelDir, sidecar, concrete);
    log.info("emotion4j classifier on backend {} ({}), device {}, SavedModel {} ({} {})",
        TensorFlowBackend.NAME, TensorFlowEngine.get().getVersion(), concrete, savedModelDir,
        sidecar.name(), sidecar.version());
    return new DefaultEmotionClassifier(TensorFlowBackend.NAME, network, metadata, null,
        ImageLimits.DEFAULT, DEFAULT_BATCH, false); // the network already turns probabilities into logits
  }
}
