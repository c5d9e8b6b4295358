package io.github.emotion4j.backend.onnxruntime;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.spi.CallerPool;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX file loaded into ONNX Runtime through DJL. Thread-safe: the ONNX Runtime session is
 * shared, and each concurrent call borrows a DJL predictor from a pool that grows to the peak
 * number of concurrent callers. {@link #close()} waits for running calls, then closes every
 * predictor and the model (its session and NDManager).
 */
final class OrtNetwork implements RunnableNetwork {
  /** System property: ONNX Runtime intra-op threads per session (default: available cores). */
  static final String THREADS_PROPERTY = "emotion4j.onnxruntime.threads";

  private static final Logger log = LoggerFactory.getLogger(OrtNetwork.class);

  private final String description;
  private final Device device;
  private final ZooModel<NDList, NDList> model;
  private final ModelSidecar contract;
  private final int labels;
  private final CallerPool<Predictor<NDList, NDList>> predictors;

  private OrtNetwork(String description, Device device, ZooModel<NDList, NDList> model,
      ModelSidecar contract) {
    this.description = description;
    this.device = device;
    this.model = model;
    this.contract = contract;
    this.labels = contract.labels().size();
    this.predictors = new CallerPool<>(model::newPredictor, Predictor::close,
        description + " on ONNX Runtime");
  }

  /**
   * Loads an ONNX file with DJL's OnnxRuntime engine.
   *
   * @param file the {@code .onnx} file
   * @param contract the input and output contract
   * @param device CPU or GPU
   * @param description names the model in errors and logs
   * @return the loaded network
   * @throws BackendUnavailableException if the engine cannot start
   * @throws DeviceUnavailableException if the device cannot be used
   * @throws ModelPackageException if ONNX Runtime refuses the file
   */
  static OrtNetwork load(Path file, ModelSidecar contract, Device device, String description,
      EngineOptions options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    if (device != Device.CPU && device != Device.GPU) {
      throw new IllegalArgumentException("device must be CPU or GPU, got " + device);
    }
    Engine engine = engine();
    String threads = String.valueOf(threads(options));
    String interOp = String.valueOf(Math.max(1, options.interOpThreads()));
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        // the folder and the file's name: DJL warns about a model path that is a plain file
        .optModelPath(file.toAbsolutePath().getParent())
        .optModelName(file.getFileName().toString())
        .optEngine(OnnxRuntimeBackend.ENGINE)
        .optDevice(device == Device.GPU ? ai.djl.Device.gpu() : ai.djl.Device.cpu())
        .optTranslator(new NoopTranslator())
        // DJL only reads intraOpNumThreads when interOpNumThreads is set too
        .optOption("interOpNumThreads", interOp)
        .optOption("intraOpNumThreads", threads)
        // several inter-op threads only help when the session runs independent branches at once
        .optOption("executionMode", options.interOpThreads() > 1 ? "PARALLEL" : "SEQUENTIAL")
        .optOption("optLevel", optLevel(options.graphOptimization()))
        .optOption("cpuArenaAllocator", String.valueOf(options.memoryArena()))
        .build();
    log.debug("Loading {} on ONNX Runtime {} ({}, {} intra-op / {} inter-op threads, {} optimisation,"
        + " memory arena {}): {}", description, engine.getVersion(), device, threads, interOp,
        options.graphOptimization(), options.memoryArena() ? "on" : "off", criteria);
    try {
      ZooModel<NDList, NDList> zoo = criteria.loadModel();
      return new OrtNetwork(description, device, zoo, contract);
    } catch (MalformedModelException | ModelNotFoundException | IOException e) {
      throw new ModelPackageException(
          "ONNX Runtime could not load " + description + " from " + file + ": " + message(e), e);
    } catch (EngineException | IllegalArgumentException | UnsupportedOperationException e) {
      if (device == Device.GPU) {
        throw new DeviceUnavailableException(
            "ONNX Runtime could not use the GPU for " + description + ": " + message(e)
                + ". Put com.microsoft.onnxruntime:onnxruntime_gpu and CUDA on the machine, or use "
                + "Device.CPU. See docs/errors.md#device-unavailable", e);
      }
      throw new ModelPackageException(
          "ONNX Runtime could not load " + description + " from " + file + ": " + message(e), e);
    }
  }

  /**
   * Starts DJL's OnnxRuntime engine, mapping its failures to the api's exception.
   *
   * @return the engine
   */
  static Engine engine() {
    if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
      // DJL's Engine otherwise calls EC2's metadata service and its telemetry endpoint on first use
      // unless offline; a library does not phone home for its host
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    try {
      return Engine.getEngine(OnnxRuntimeBackend.ENGINE);
    } catch (RuntimeException | LinkageError e) {
      if (message(e).contains("OrtEnvironment, but one already exists")
          || e instanceof NoClassDefFoundError && String.valueOf(e.getMessage()).contains("OrtEngine")) {
        throw new BackendUnavailableException(
            "The onnxruntime backend could not start ONNX Runtime: other code in this JVM created "
                + "ONNX Runtime's environment (OrtEnvironment) before DJL's OnnxRuntime engine "
                + "started, and DJL cannot start on an existing one (deepjavalibrary/djl#3679); the "
                + "engine stays unusable in this JVM. Build the onnxruntime classifier before that "
                + "code first uses ONNX Runtime. (" + message(e) + ")", e);
      }
      throw new BackendUnavailableException(
          "The onnxruntime backend could not start ONNX Runtime: " + message(e)
              + ". It needs ai.djl.onnxruntime:onnxruntime-engine and "
              + "com.microsoft.onnxruntime:onnxruntime (natives for this platform inside the jar). "
              + "See docs/errors.md#backend-not-found", e);
    }
  }

  /**
   * Returns the intra-op thread count: the options' if set, else the {@value #THREADS_PROPERTY}
   * property, else one per available processor.
   *
   * @param options the host's engine options
   * @return the thread count
   */
  static int threads(EngineOptions options) {
    if (options.intraOpThreads() > 0) {
      return options.intraOpThreads();
    }
    Integer configured = Integer.getInteger(THREADS_PROPERTY);
    return configured != null && configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  /** ONNX Runtime's name (DJL's {@code optLevel} option) for a graph optimisation level. */
  static String optLevel(EngineOptions.GraphOptimization level) {
    switch (level) {
      case NONE:
        return "NO_OPT";
      case BASIC:
        return "BASIC_OPT";
      case EXTENDED:
        return "EXTENDED_OPT";
      default:
        return "ALL_OPT";
    }
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public float[] logits(InputBatch batch) {
    Objects.requireNonNull(batch, "batch");
    FeatureShape shape = batch.imageShape();
    if (shape.channels() != contract.input().channels() || shape.height() != contract.input().height()
        || shape.width() != contract.input().width()) {
      throw new IllegalArgumentException(
          "batch images are " + shape + " but " + description + " takes "
              + contract.input().shape());
    }
    return predictors.call(predictor -> run(predictor, batch));
  }

  private float[] run(Predictor<NDList, NDList> predictor, InputBatch batch) {
    FeatureShape shape = batch.imageShape();
    try (NDManager manager = model.getNDManager().newSubManager()) {
      int n = batch.size();
      NDArray x;
      if (contract.layout() == ModelSidecar.Layout.NHWC) {
        x = manager.create(FloatBuffer.wrap(batch.toNhwc()),
            new Shape(n, shape.height(), shape.width(), shape.channels()));
      } else {
        x = manager.create(FloatBuffer.wrap(batch.data()),
            new Shape(n, shape.channels(), shape.height(), shape.width()));
      }
      if (!contract.inputName().isEmpty()) {
        x.setName(contract.inputName());
      }
      NDList out = predictor.predict(new NDList(x));
      float[] values = pick(out).toFloatArray();
      if (values.length != n * labels) {
        throw new ModelPackageException(
            description + " gave " + values.length + " outputs for " + n + " images, but its "
                + labels + " labels need " + n * labels + ". Check the labels and output name.");
      }
      return values;
    } catch (TranslateException | EngineException e) {
      throw new ModelPackageException(
          "ONNX Runtime could not run " + description + " on " + batch.size() + " images of "
              + shape + " (" + contract.layout() + "): " + message(e)
              + ". Check the input contract and layout against the model.", e);
    }
  }

  private NDArray pick(NDList out) {
    if (out.isEmpty()) {
      throw new ModelPackageException(description + " returned no output");
    }
    if (contract.outputName().isEmpty()) {
      return out.get(0);
    }
    for (NDArray a : out) {
      if (contract.outputName().equals(a.getName())) {
        return a;
      }
    }
    List<String> names = new ArrayList<>();
    out.forEach(a -> names.add(a.getName()));
    throw new ModelPackageException(
        description + " has no output named \"" + contract.outputName() + "\"; its outputs: " + names);
  }

  @Override
  public void close() {
    predictors.close(() -> {
      model.close();
      log.debug("Closed {} on ONNX Runtime", description);
    });
  }

  /**
   * Describes an engine error for a message: its type and text, and its root cause.
   *
   * @param e the error
   * @return the description
   */
  static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e ? text : text + " (caused by " + root.getClass().getSimpleName() + ": "
        + root.getMessage() + ")";
  }

  @Override
  public String toString() {
    return description + " on ONNX Runtime (" + device + ")";
  }
}
