package io.github.emotion4j.backend.pytorch;

import ai.djl.engine.Engine;
import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.EnumSet;
import java.util.Set;

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

  /** Runs TorchScript files; loading one runs code from it, so use trusted files only. */
  @Override
  public RunnableNetwork loadExternal(ExternalModel model, Device device) {
    if (!model.format().equals(ExternalModel.TORCHSCRIPT)) {
      return EmotionBackend.super.loadExternal(model, device);
    }
    return PyTorchNetwork.of(model, djlDevice(device));
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
