package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.ModelTrainer;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Trains model packages on the pure-JVM kernels, named {@code "native"}; found by the api's {@link
 * io.github.emotion4j.train.Training} facade through {@link java.util.ServiceLoader}. Runs on the
 * CPU with the Vector API kernels when the host enabled the module ({@code --add-modules
 * jdk.incubator.vector}), plain loops otherwise (see {@link NativeBackend}). A step gives the same
 * result for the same seed and state on any number of cores. Cheap to construct; thread-safe.
 *
 * @since 0.1
 */
public final class NativeTrainer implements ModelTrainer {
  /** Its rank among trainers when the configuration names none. */
  public static final int RANK = 10;

  private final NativeBackend.KernelChoice choice;

  /** Creates the trainer with kernels chosen as {@link NativeBackend} chooses them. */
  public NativeTrainer() {
    this(NativeBackend.KernelChoice.AUTO);
  }

  /** A trainer with a fixed kernel choice, for tests and benchmarks in this package. */
  NativeTrainer(NativeBackend.KernelChoice choice) {
    this.choice = Objects.requireNonNull(choice, "choice");
  }

  @Override
  public String name() {
    return NativeBackend.NAME;
  }

  /**
   * Ranks after the PyTorch trainer (rank 0) for now: a configuration picks this one by naming
   * {@code "native"}.
   */
  @Override
  public int rank() {
    return RANK;
  }

  @Override
  public int spiVersion() {
    return EmotionBackend.SPI_VERSION;
  }

  @Override
  public BackendAvailability availability() {
    return BackendAvailability.yes();
  }

  @Override
  public TrainingSession start(TrainingConfig config, float[] classWeights,
      Map<String, Tensor> weights, Map<String, Tensor> optimizerState, int stepsDone) {
    Objects.requireNonNull(config, "config");
    if (config.device() == Device.GPU) {
      throw DeviceUnavailableException.notPresent(NativeBackend.NAME, Device.GPU, Set.of(Device.CPU));
    }
    return new NativeTrainingSession(config, NativeBackend.kernels(choice), classWeights, weights,
        optimizerState, stepsDone);
  }
}
