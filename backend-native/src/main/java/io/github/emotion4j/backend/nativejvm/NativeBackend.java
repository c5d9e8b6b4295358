package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure-JVM backend, named {@code "native"}: runs any model package on the CPU with kernels
 * written in Java, so it needs no native library and works wherever a JVM 17+ runs.
 *
 * <p>Kernels: when the host enabled the Java Vector API ({@code java --add-modules
 * jdk.incubator.vector ...}), convolutions and dense layers use explicit SIMD at the machine's
 * preferred vector width; otherwise they run as plain loops (correct, but about 30 times slower at inference
 * on the bundled network: the JIT does not keep the accumulators in vector registers), and the
 * first such load in the JVM logs one WARN naming the flag. The system property {@value
 * #VECTOR_PROPERTY}{@code =false} chooses the plain loops without the warning. Batches are split
 * across the machine's cores, and a single image is split inside each convolution.
 *
 * <p>Cheap to construct and thread-safe; the networks it loads are thread-safe too.
 *
 * @since 0.1
 */
public final class NativeBackend implements EmotionBackend {
  /** The system property that, set to {@code false}, makes the backend use plain-loop kernels. */
  public static final String VECTOR_PROPERTY = "emotion4j.native.vector";

  /** The backend's name. */
  public static final String NAME = "native";

  /** Its rank in AUTO's order: after engines that ship tuned native kernels. */
  public static final int RANK = 10;

  private static final Logger log = LoggerFactory.getLogger(NativeBackend.class);
  private static final String VECTOR_KERNELS =
      "io.github.emotion4j.backend.nativejvm.VectorKernels";
  private static final AtomicBoolean HINTED = new AtomicBoolean();
  /** Logged at WARN, once per JVM, when AUTO falls back to plain loops for want of the module. */
  static final String PLAIN_WARNING = "emotion4j's native backend runs plain-loop kernels, about 30x"
      + " slower at inference than with the Java Vector API: start the JVM with --add-modules jdk.incubator.vector"
      + " (the emotion4j launcher does), or set -D" + VECTOR_PROPERTY + "=false to choose plain loops"
      + " without this warning";

  private final KernelChoice choice;

  /** The backend as {@link java.util.ServiceLoader} creates it: kernels chosen automatically. */
  public NativeBackend() {
    this(KernelChoice.AUTO);
  }

  /** A backend with a fixed kernel choice, for tests and benchmarks in this package. */
  NativeBackend(KernelChoice choice) {
    this.choice = Objects.requireNonNull(choice, "choice");
  }

  /** Which kernels a backend uses. */
  enum KernelChoice {
    /** The Vector API when the host enabled it and {@value #VECTOR_PROPERTY} is not false. */
    AUTO,
    /** Plain loops. */
    PLAIN,
    /** The Vector API, failing if it is not enabled. */
    VECTOR,
    /** The Vector API without Winograd convolutions (direct ones only), for tests and benchmarks. */
    VECTOR_DIRECT
  }

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
    return BackendAvailability.yes();
  }

  @Override
  public Set<Device> devices() {
    return Set.of(Device.CPU);
  }

  @Override
  public RunnableNetwork load(ModelPackage model, Device device) {
    Objects.requireNonNull(model, "model");
    if (device != Device.CPU) {
      throw DeviceUnavailableException.notPresent(NAME, device, devices());
    }
    Kernels kernels = kernels(choice);
    NativeNetwork net = new NativeNetwork(model, kernels);
    log.debug("Native backend loaded {} with {} kernels: {}", model, kernels.name(), net.plan());
    return net;
  }

  /**
   * Tells whether the host enabled the Vector API module ({@code --add-modules
   * jdk.incubator.vector}).
   *
   * @return true if {@code jdk.incubator.vector} is in the boot layer
   */
  public static boolean vectorApiEnabled() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** Picks the kernels; the Vector API class is loaded by name only when its module is present. */
  static Kernels kernels(KernelChoice choice) {
    boolean forced = choice == KernelChoice.VECTOR || choice == KernelChoice.VECTOR_DIRECT;
    boolean wanted =
        forced
            || (choice == KernelChoice.AUTO
                && !"false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY, "true").trim()));
    if (!wanted) {
      return new PlainKernels();
    }
    if (!vectorApiEnabled()) {
      if (forced) {
        throw new IllegalStateException(
            "The Vector API kernels need the JVM option --add-modules jdk.incubator.vector");
      }
      if (HINTED.compareAndSet(false, true)) {
        log.warn(PLAIN_WARNING);
      }
      return new PlainKernels();
    }
    try {
      return (Kernels) Class.forName(VECTOR_KERNELS).getDeclaredConstructor(boolean.class)
          .newInstance(choice != KernelChoice.VECTOR_DIRECT);
    } catch (ReflectiveOperationException | LinkageError e) {
      if (forced) {
        throw new IllegalStateException("The Vector API kernels could not start: " + e, e);
      }
      log.warn("Native backend falls back to plain-loop kernels: the Vector API kernels could not"
          + " start ({})", e.toString());
      return new PlainKernels();
    }
  }
}
