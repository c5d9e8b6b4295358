package io.github.emotion4j;

import java.util.Locale;
import java.util.Objects;

/**
 * How an engine uses the host: threads, and for ONNX Runtime its graph optimisation and memory
 * arena. Set with {@link EmotionClassifierBuilder#engineOptions(EngineOptions)}; each backend takes
 * what applies to it (see {@code docs/TUNING.md}):
 *
 * <ul>
 *   <li><b>pytorch</b>: {@code intraOpThreads} and {@code interOpThreads} are PyTorch's (OpenMP)
 *       thread pools, which are <em>per process</em>: the last classifier built sets them for all.
 *       PyTorch's own default, one thread per core, spins in OpenMP barriers and loses 10-25x when
 *       another process is busy on the same cores; set fewer threads there.
 *   <li><b>onnxruntime</b>: per classifier (its session): threads, {@link GraphOptimization} and
 *       the CPU memory arena.
 *   <li><b>native</b>, <b>tensorflow</b>: not used (native runs on the JVM's common pool).
 * </ul>
 *
 * @param intraOpThreads threads inside one operator; 0 for the default, one per available processor
 * @param interOpThreads threads running independent operators at once; 0 for the engine's default
 *     (ONNX Runtime: 1, sequential; PyTorch: one per core)
 * @param graphOptimization ONNX Runtime's graph rewriting before the first run
 * @param memoryArena whether ONNX Runtime keeps freed CPU buffers for reuse (faster, holds memory)
 * @since 0.1
 */
public record EngineOptions(
    int intraOpThreads, int interOpThreads, GraphOptimization graphOptimization, boolean memoryArena) {

  /** The defaults: one intra-op thread per available processor, engine inter-op, all optimisations, arena on. */
  public static final EngineOptions DEFAULT = new EngineOptions(0, 0, GraphOptimization.ALL, true);

  /** ONNX Runtime's graph optimisation levels. */
  public enum GraphOptimization {
    /** None: the graph runs as exported. */
    NONE,
    /** Constant folding and redundant-node removal. */
    BASIC,
    /** Basic plus operator fusions (e.g. convolution with batch-norm and activation). */
    EXTENDED,
    /** Everything, including layout changes for the CPU. The default. */
    ALL
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException if a thread count is negative
   */
  public EngineOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be 0 (default) or more, got intra-op "
          + intraOpThreads + ", inter-op " + interOpThreads);
    }
    Objects.requireNonNull(graphOptimization, "graphOptimization");
  }

  /**
   * Returns these options with other thread counts.
   *
   * @param intraOp threads inside one operator, 0 for the default
   * @param interOp threads across operators, 0 for the engine's default
   * @return the copy
   */
  public EngineOptions withThreads(int intraOp, int interOp) {
    return new EngineOptions(intraOp, interOp, graphOptimization, memoryArena);
  }

  /**
   * Returns these options with another graph optimisation level.
   *
   * @param level the level
   * @return the copy
   */
  public EngineOptions withGraphOptimization(GraphOptimization level) {
    return new EngineOptions(intraOpThreads, interOpThreads, level, memoryArena);
  }

  /**
   * Returns these options with the memory arena on or off.
   *
   * @param on whether to keep freed buffers
   * @return the copy
   */
  public EngineOptions withMemoryArena(boolean on) {
    return new EngineOptions(intraOpThreads, interOpThreads, graphOptimization, on);
  }

  /**
   * Returns the intra-op thread count to use: the set one, else one per available processor.
   *
   * @return at least 1
   */
  public int intraOpThreadsOrDefault() {
    return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Parses a graph optimisation level, case-insensitively.
   *
   * @param text none, basic, extended or all
   * @return the level
   * @throws IllegalArgumentException naming the levels if the text is none of them
   */
  public static GraphOptimization parseGraphOptimization(String text) {
    try {
      return GraphOptimization.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown graph optimisation \"" + text + "\"; use none, basic, extended or all", e);
    }
  }
}
