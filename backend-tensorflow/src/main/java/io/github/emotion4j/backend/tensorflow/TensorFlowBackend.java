package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.Emotion4jException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.RunnableNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tensorflow} backend: runs a model package on DJL's TensorFlow engine by exporting it
 * to a SavedModel (see {@link SavedModelExporter}), cached under {@code
 * <cache>/tensorflow-savedmodels/} by the weights' sha256, and loading that. TensorFlow's natives
 * come from Maven Central's {@code org.tensorflow:tensorflow-core-native} jar and are extracted
 * once (see {@link TensorFlowNatives}); nothing is downloaded.
 *
 * <p>Rank {@value #RANK}: AUTO prefers the other backends when present. Cheap to construct: no
 * native code loads until {@link #devices()} or {@link #load} is called. Thread-safe.
 *
 * @since 0.1
 */
public final class TensorFlowBackend implements EmotionBackend {
  /** The backend's name. */
  public static final String NAME = "tensorflow";
  /** Where the backend stands in AUTO's order. */
  public static final int RANK = 40;
  /** Bumped when the exporter's graph changes, so older cached SavedModels are not reused. */
  static final int EXPORT_REVISION = 2;

  private static final Logger log = LoggerFactory.getLogger(TensorFlowBackend.class);

  /** Creates the backend; loads nothing. */
  public TensorFlowBackend() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int rank() {
    return RANK;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public BackendAvailability availability() {
    try {
      Class.forName("ai.djl.tensorflow.engine.TfEngineProvider", false,
          TensorFlowBackend.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return BackendAvailability.no(
          "DJL's TensorFlow engine is not on the class path. Add ai.djl.tensorflow:tensorflow-engine");
    }
    String reason = TensorFlowNatives.unavailableReason();
    return reason.isEmpty() ? BackendAvailability.yes() : BackendAvailability.no(reason);
  }

  /**
   * Returns CPU, plus GPU when TensorFlow lists a CUDA device. Starts the engine.
   *
   * @return the devices present
   * @throws BackendUnavailableException if the engine cannot start
   */
  @Override
  public Set<Device> devices() {
    return TensorFlowEngine.hasGpu() ? EnumSet.of(Device.CPU, Device.GPU) : EnumSet.of(Device.CPU);
  }

  @Override
  public RunnableNetwork load(ModelPackage model, Device device) {
    if (device != Device.CPU && device != Device.GPU) {
      throw new IllegalArgumentException("load needs a concrete device, CPU or GPU, got " + device);
    }
    if (device == Device.GPU && !devices().contains(Device.GPU)) {
      throw DeviceUnavailableException.notPresent(NAME, Device.GPU, devices());
    }
    Path dir = cachedSavedModel(model);
    return TensorFlowNetwork.load(dir, SavedModelExporter.sidecar(model), device);
  }

  /**
   * Runs a SavedModel folder described by a sidecar, through the sidecar's signature ({@code
   * serving_default} unless it names another) and tensor names; the output is passed through as is
   * (the classifier knows from the sidecar whether it holds probabilities). A SavedModel can run
   * code: load only trusted folders.
   */
  @Override
  public RunnableNetwork loadExternal(ExternalModel model, Device device) {
    if (!model.format().equals(ExternalModel.SAVED_MODEL)) {
      return EmotionBackend.super.loadExternal(model, device);
    }
    return TensorFlowNetwork.load(model.file(), model.sidecar(), device);
  }

  /**
   * Returns the cached SavedModel folder of a package, exporting it first if it is not there. The
   * key is the weights' sha256 plus a short hash of the layer list, input contract and exporter
   * revision (two packages may share weights but differ in, say, pooling).
   */
  static Path cachedSavedModel(ModelPackage model) {
    String sha = model.metadata().weightsSha256().toLowerCase(java.util.Locale.ROOT);
    String graphKey = AtomicFiles.sha256((model.layers() + "|" + model.input() + "|" + model.labels()
        + "|" + EXPORT_REVISION).getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    Path root = TensorFlowNatives.cacheRoot().resolve("tensorflow-savedmodels");
    Path dir = root.resolve(sha + "-" + graphKey);
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))
        && Files.isRegularFile(dir.resolve(SavedModelExporter.SIDECAR_PATH))) {
      log.debug("Using cached SavedModel {} for {}", dir, model);
      return dir;
    }
    Path tmp = null;
    try {
      Files.createDirectories(root);
      tmp = Files.createTempDirectory(root, "." + dir.getFileName() + ".tmp-");
      Path out = tmp.resolve("m");
      SavedModelExporter.export(model, out);
      try {
        Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
        log.debug("Cached the SavedModel of {} in {}", model, dir);
      } catch (FileSystemException e) {
        // Another thread or JVM cached it first (Linux reports "Directory not empty"), or an
        // incomplete folder is there: replace that one.
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))
            || !Files.isRegularFile(dir.resolve(SavedModelExporter.SIDECAR_PATH))) {
          Path old = root.resolve("." + dir.getFileName() + ".old-" + System.nanoTime());
          AtomicFiles.move(dir, old);
          AtomicFiles.move(out, dir);
          AtomicFiles.deleteTree(old);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new Emotion4jException(
          "Could not cache the SavedModel of " + model + " in " + dir + ": " + e
              + ". Make the folder writable or set the system property "
              + TensorFlowNatives.CACHE_DIR_PROPERTY + " to another folder", e);
    } finally {
      if (tmp != null) {
        AtomicFiles.deleteTree(tmp);
      }
    }
  }
}
