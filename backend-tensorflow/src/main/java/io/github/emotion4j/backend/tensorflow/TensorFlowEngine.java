package io.github.emotion4j.backend.tensorflow;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Emotion4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's TensorFlow engine once per JVM, after {@link TensorFlowNatives} prepared it. Sets
 * DJL's {@code OPT_OUT_TRACKING} system property unless the host set it (environment or property),
 * so that DJL sends no telemetry.
 */
final class TensorFlowEngine {
  /** DJL's name for the engine. */
  static final String ENGINE_NAME = "TensorFlow";

  private static final String OPT_OUT = "OPT_OUT_TRACKING";
  private static final Logger log = LoggerFactory.getLogger(TensorFlowEngine.class);
  private static volatile Engine engine;
  private static volatile Boolean gpu;

  private TensorFlowEngine() {}

  /**
   * Returns the started engine: extracts the natives if needed, then loads them.
   *
   * @return DJL's TensorFlow engine
   * @throws BackendUnavailableException if the natives are missing or do not load
   */
  static Engine get() {
    Engine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (TensorFlowEngine.class) {
      if (engine == null) {
        TensorFlowNatives.libraryDir();
        if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
          // DJL's Engine class otherwise calls EC2's metadata service and its telemetry endpoint
          // on first use unless offline; a library does not phone home for its host.
          System.setProperty(OPT_OUT, "true");
        }
        long start = System.nanoTime();
        try {
          engine = Engine.getEngine(ENGINE_NAME);
        } catch (Emotion4jException ex) {
          throw ex;
        } catch (RuntimeException | LinkageError ex) {
          throw new BackendUnavailableException(
              "DJL's TensorFlow engine did not start with the natives in "
                  + TensorFlowNatives.libraryDir() + ": " + ex
                  + ". Delete that folder to extract it again, or see docs/errors.md#backend-not-found",
              ex);
        }
        log.debug("TensorFlow {} started in {} ms", engine.getVersion(),
            (System.nanoTime() - start) / 1_000_000);
      }
      return engine;
    }
  }

  /**
   * Tells whether the engine sees a CUDA GPU. Starts the engine.
   *
   * @return true if TensorFlow lists a GPU device
   */
  static boolean hasGpu() {
    Boolean g = gpu;
    if (g == null) {
      g = get().hasCapability(StandardCapabilities.CUDA);
      gpu = g;
    }
    return g;
  }
}
