package io.github.emotion4j.backend.onnxruntime;

import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onnxruntime} backend: runs model packages on ONNX Runtime through DJL's OnnxRuntime
 * engine. Each package is exported to ONNX with {@link OnnxExporter} on first load and kept in a
 * cache folder (the {@code emotion4j.cache.dir} system property or {@code EMOTION4J_CACHE_DIR}
 * environment variable, else {@code ~/.cache/emotion4j}; files under {@code onnx/}, keyed by the
 * weights' sha256). ONNX Runtime uses as many intra-op threads as the JVM has processors, or the
 * {@code emotion4j.onnxruntime.threads} system property.
 *
 * <p>Rank {@value #RANK}. Devices: the CPU, and a GPU only when the GPU build of ONNX Runtime
 * ({@code com.microsoft.onnxruntime:onnxruntime_gpu}) is on the class path and CUDA is installed.
 * Hosts do not use this class directly: they name the backend with {@code
 * EmotionClassifier.builder().backend("onnxruntime")}. To run an ONNX file emotion4j did not export,
 * see {@link OnnxModels}.
 *
 * <p>Cheap to construct and thread-safe; no native code loads before {@link #devices()} or {@link
 * #load}.
 *
 * @since 0.1
 */
public final class OnnxRuntimeBackend implements EmotionBackend {
  /** The backend's name. */
  public static final String NAME = "onnxruntime";
  /** The backend's rank in AUTO's order (lower is preferred). */
  public static final int RANK = 20;
  /** DJL's name of the engine. */
  static final String ENGINE = "OnnxRuntime";

  private static final Logger log = LoggerFactory.getLogger(OnnxRuntimeBackend.class);
  private static volatile Set<Device> devices;

  /** Creates the backend; called by {@link java.util.ServiceLoader}. Loads nothing. */
  public OnnxRuntimeBackend() {}

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

  /**
   * Checks that DJL's OnnxRuntime engine and ONNX Runtime's Java classes are on the class path, and
   * that ONNX Runtime ships natives for this platform, without loading them.
   *
   * @return available, or the missing artifact
   */
  @Override
  public BackendAvailability availability() {
    ClassLoader cl = OnnxRuntimeBackend.class.getClassLoader();
    for (String[] required : new String[][] {
        {"ai.djl.onnxruntime.engine.OrtEngineProvider", "ai.djl.onnxruntime:onnxruntime-engine"},
        {"ai.onnxruntime.OrtEnvironment", "com.microsoft.onnxruntime:onnxruntime"},
        {"ai.onnx.proto.OnnxMl", "org.tribuo:tribuo-util-onnx"}}) {
      try {
        Class.forName(required[0], false, cl);
      } catch (ClassNotFoundException | LinkageError e) {
        return BackendAvailability.no(
            "class " + required[0] + " is missing; add " + required[1] + " to the class path");
      }
    }
    String platform = nativePlatform();
    if (platform != null && System.getProperty("onnxruntime.native.path") == null
        && cl.getResource("ai/onnxruntime/native/" + platform + "/") == null
        && cl.getResource("ai/onnxruntime/native/" + platform + "/" + nativeLibrary()) == null) {
      return BackendAvailability.no(
          "the ONNX Runtime jar on the class path has no natives for " + platform
              + " (ai/onnxruntime/native/" + platform + "/); ONNX Runtime supports linux, osx and "
              + "win on x64 and aarch64");
    }
    return BackendAvailability.yes();
  }

  /**
   * Returns the CPU, plus the GPU when the GPU build of ONNX Runtime is on the class path and CUDA
   * is present. Checked once per JVM.
   *
   * @return the devices present
   */
  @Override
  public Set<Device> devices() {
    Set<Device> d = devices;
    if (d == null) {
      EnumSet<Device> found = EnumSet.of(Device.CPU);
      if (gpuBuildPresent() && cudaPresent()) {
        found.add(Device.GPU);
      }
      d = Set.copyOf(found);
      devices = d;
      log.debug("onnxruntime devices: {}", d);
    }
    return d;
  }

  /**
   * Exports the package to ONNX (or takes the cached export) and loads it in ONNX Runtime.
   *
   * @param model the package
   * @param device CPU or GPU
   * @return the network; close it to free the session
   * @throws ModelPackageException if the package cannot be exported or ONNX Runtime refuses it
   * @throws io.github.emotion4j.BackendUnavailableException if ONNX Runtime cannot start
   * @throws DeviceUnavailableException if the device is not present
   */
  @Override
  public RunnableNetwork load(ModelPackage model, Device device) {
    return load(model, device, EngineOptions.DEFAULT);
  }

  /**
   * Exports the package to ONNX (or takes the cached export) and loads it in an ONNX Runtime
   * session with the host's threads, graph optimisation and memory arena.
   *
   * @param model the package
   * @param device CPU or GPU
   * @param options the host's engine options
   * @return the network; close it to free the session
   */
  @Override
  public RunnableNetwork load(ModelPackage model, Device device, EngineOptions options) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(device, "device");
    if (device == Device.AUTO) {
      throw new IllegalArgumentException("load takes a concrete device, CPU or GPU, not AUTO");
    }
    if (!devices().contains(device)) {
      throw DeviceUnavailableException.notPresent(NAME, device, devices());
    }
    OrtNetwork.engine(); // a missing engine is a backend error, not a model error
    String description = "model \"" + model.metadata().name() + "\" " + model.metadata().version();
    ModelSidecar contract = OnnxExporter.sidecar(model);
    OnnxCache.Entry entry = OnnxCache.get(model);
    try {
      return OrtNetwork.load(entry.file(), contract, device, description, options);
    } catch (ModelPackageException e) {
      if (entry.fresh() || entry.temporary()) {
        throw e;
      }
      // a cached file that ONNX Runtime refuses (truncated by a crash, or tampered with): redo it
      log.warn("ONNX Runtime refused the cached export {} ({}); exporting again", entry.file(),
          e.getMessage());
      OnnxCache.evict(entry.file());
      OnnxCache.Entry again = OnnxCache.get(model);
      try {
        return OrtNetwork.load(again.file(), contract, device, description, options);
      } finally {
        if (again.temporary()) {
          OnnxCache.evict(again.file());
        }
      }
    } finally {
      if (entry.temporary()) {
        OnnxCache.evict(entry.file()); // ONNX Runtime holds the model in memory once loaded
      }
    }
  }

  /**
   * Loads an ONNX file described by a sidecar ({@code EmotionClassifier.builder().externalModel(file,
   * sidecar)}). The file's declared input and output are checked against the sidecar first; an NHWC
   * model gets its input transposed; the output is passed through as is (the classifier knows from
   * the sidecar whether it holds probabilities).
   *
   * @param model the external model; its format must be {@value ExternalModel#ONNX}
   * @param device CPU or GPU
   * @return the network, owned and closed by the caller
   * @throws ModelPackageException if the file is not ONNX, does not fit the sidecar, or ONNX Runtime
   *     refuses it
   * @throws DeviceUnavailableException if the device is not present
   */
  @Override
  public RunnableNetwork loadExternal(ExternalModel model, Device device) {
    return loadExternal(model, device, EngineOptions.DEFAULT);
  }

  /**
   * Loads an ONNX file described by a sidecar, as {@link #loadExternal(ExternalModel, Device)}
   * does, with the host's engine options.
   *
   * @param model the external model; its format must be {@value ExternalModel#ONNX}
   * @param device CPU or GPU
   * @param options the host's engine options
   * @return the network, owned and closed by the caller
   */
  @Override
  public RunnableNetwork loadExternal(ExternalModel model, Device device, EngineOptions options) {
    Objects.requireNonNull(model, "model");
    if (!ExternalModel.ONNX.equals(model.format())) {
      throw new ModelPackageException(
          "The " + NAME + " backend runs ONNX files, not " + model.format() + " (" + model.file()
              + "). TorchScript runs on pytorch, SavedModels on tensorflow.");
    }
    return OnnxModels.load(model.file(), model.sidecar(), device, options);
  }

  /**
   * Tells whether the GPU build of ONNX Runtime (with its CUDA provider library) is on the class path.
   *
   * @return true if the CUDA provider library is there
   */
  static boolean gpuBuildPresent() {
    ClassLoader cl = OnnxRuntimeBackend.class.getClassLoader();
    String platform = nativePlatform();
    if (platform == null) {
      return false;
    }
    String lib = platform.startsWith("win")
        ? "onnxruntime_providers_cuda.dll"
        : "libonnxruntime_providers_cuda.so";
    return cl.getResource("ai/onnxruntime/native/" + platform + "/" + lib) != null;
  }

  private static boolean cudaPresent() {
    try {
      return ai.djl.util.cuda.CudaUtils.hasCuda();
    } catch (RuntimeException | LinkageError e) {
      log.debug("CUDA check failed, assuming no GPU: {}", e.toString());
      return false;
    }
  }

  /**
   * Returns ONNX Runtime's name for this platform's native folder.
   *
   * @return e.g. {@code linux-x64}, or null on a platform ONNX Runtime does not ship
   */
  static String nativePlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("linux") ? "linux"
        : os.contains("mac") || os.contains("darwin") ? "osx"
        : os.contains("win") ? "win" : null;
    String a = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64") ? "x64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    return o == null || a == null ? null : o + "-" + a;
  }

  private static String nativeLibrary() {
    String platform = nativePlatform();
    return platform != null && platform.startsWith("win") ? "onnxruntime.dll"
        : platform != null && platform.startsWith("osx") ? "libonnxruntime.dylib" : "libonnxruntime.so";
  }
}
