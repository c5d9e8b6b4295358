package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ModelSidecar;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Classifiers over TensorFlow SavedModels made elsewhere (Keras, TF Serving exports) or by {@link
 * SavedModelExporter}. The api's preprocessing, softmax and labels apply unchanged; the sidecar
 * (see {@link ModelSidecar}) says how the model's tensors map onto them.
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
    return classifier(savedModelDir, ModelSidecar.read(sidecar), Device.CPU);
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
  public static EmotionClassifier classifier(Path savedModelDir, ModelSidecar sidecar, Device device) {
    return EmotionClassifier.builder().backend(TensorFlowBackend.NAME).device(device)
        .externalModel(savedModelDir, sidecar).build();
  }
}
