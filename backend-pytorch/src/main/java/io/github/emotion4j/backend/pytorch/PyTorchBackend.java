package io.github.emotion4j.backend.pytorch;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code "pytorch"} backend: DJL's PyTorch engine. Rank 30 in AUTO's order: on these 2-core CPU
 * machines it is slower than the native and ONNX Runtime backends, but it is the one that trains and
 * the one to pick for a CUDA GPU. Constructing it loads no native code; the engine starts on the
 * first {@link #devices()} or {@link #load} call.
 *
 * @since 0.1
 */
public final class PyTorchBackend implements EmotionBackend {
  /** The backend's name. */
  public static final String NAME = "pytorch";
  static final String ENGINE = "PyTorch";
  private static final Logger log = LoggerFactory.getLogger(PyTorchBackend.class);

  /** Creates the backend; cheap. */
  public PyTorchBackend() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int rank() {
    return 30;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public BackendAvailability availability() {
    try {
      Class.forName("ai.djl.pytorch.engine.PtEngineProvider", false, getClass().getClassLoader());
      return BackendAvailability.yes();
    } catch (ClassNotFoundException e) {
      return BackendAvailability.no(
          "ai.djl.pytorch:pytorch-engine is not on the class path");
    }
  }

  @Override
  public Set<Device> devices() {
    return engine().getGpuCount() > 0 ? EnumSet.of(Device.CPU, Device.GPU) : EnumSet.of(Device.CPU);
  }

  @Override
  public RunnableNetwork load(ModelPackage model, Device device) {
    return PyTorchNetwork.of(model, djlDevice(device));
  }

  /** Sets PyTorch's threads from the options (per process), then loads as the two-argument form. */
  @Override
  public RunnableNetwork load(ModelPackage model, Device device, EngineOptions options) {
    applyThreads(options);
    return load(model, device);
  }

  /** Sets PyTorch's threads from the options (per process), then loads the TorchScript file. */
  @Override
  public RunnableNetwork loadExternal(ExternalModel model, Device device, EngineOptions options) {
    applyThreads(options);
    return loadExternal(model, device);
  }

  /**
   * Sets PyTorch's intra-op threads to the options' count, else {@link #defaultIntraOpThreads()}, and
   * its inter-op threads when the options name a count. Both are per process. PyTorch takes an
   * inter-op count only before its first parallel work, so a later different one is refused there:
   * it is logged at WARN and the engine goes on with the count it has.
   *
   * @param options the host's engine options
   */
  static synchronized void applyThreads(EngineOptions options) {
    engine();
    int intra = options.intraOpThreads() > 0 ? options.intraOpThreads() : defaultIntraOpThreads();
    if (JniUtils.getNumThreads() != intra) {
      JniUtils.setNumThreads(intra);
      log.debug("PyTorch intra-op threads set to {}", intra);
    }
    int inter = options.interOpThreads();
    if (inter > 0 && JniUtils.getNumInteropThreads() != inter) {
      try {
        JniUtils.setNumInteropThreads(inter);
        log.debug("PyTorch inter-op threads set to {}", inter);
      } catch (RuntimeException e) {
        log.warn("PyTorch keeps {} inter-op threads, not {}: it takes the count only before its first"
            + " parallel work ({})", JniUtils.getNumInteropThreads(), inter, e.getMessage());
      }
    }
  }

  /** Runs TorchScript files; loading one runs code from it, so use trusted files only. */
  @Override
  public RunnableNetwork loadExternal(ExternalModel model, Device device) {
    if (!model.format().equals(ExternalModel.TORCHSCRIPT)) {
      return EmotionBackend.super.loadExternal(model, device);
    }
    return PyTorchNetwork.of(model, djlDevice(device));
  }

  /**
   * Returns the intra-op threads used when the host sets none: half the available processors, at
   * least one. PyTorch's own default, one per core, spins its OpenMP workers in barriers; on a
   * 2-core machine that another process keeps busy it measured 136-212 ms a face at batch 1 against
   * 3.5-19 ms with one thread, and 103 against 343 images/s at batch 64 (docs/TUNING.md).
   *
   * @return the count
   */
  static int defaultIntraOpThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** Starts (once) and returns DJL's PyTorch engine, with engine errors as the api's. */
  static Engine engine() {
    if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
      // DJL's Engine otherwise calls EC2's metadata service and its telemetry endpoint on first use
      // unless offline; a library does not phone home for its host
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    try {
      return Engine.getEngine(ENGINE);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new BackendUnavailableException(
          "The PyTorch engine could not start: " + e
              + ". Its natives come from ai.djl.pytorch:pytorch-native-cpu (or a CUDA build) with the"
              + " classifier of this platform (" + System.getProperty("os.name") + " "
              + System.getProperty("os.arch") + "); see README, \"Other platforms and GPUs\".", e);
    }
  }

  /** Maps our device to DJL's, refusing a GPU the engine does not see. */
  static ai.djl.Device djlDevice(Device device) {
    int gpus = engine().getGpuCount();
    switch (device) {
      case GPU:
        if (gpus == 0) {
          throw DeviceUnavailableException.notPresent(NAME, Device.GPU, java.util.List.of(Device.CPU));
        }
        return ai.djl.Device.gpu();
      case AUTO:
        return gpus > 0 ? ai.djl.Device.gpu() : ai.djl.Device.cpu();
      default:
        return ai.djl.Device.cpu();
    }
  }
}
