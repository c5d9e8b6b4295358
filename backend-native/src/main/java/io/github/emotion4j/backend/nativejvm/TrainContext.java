package io.github.emotion4j.backend.nativejvm;

/**
 * What the layers of a {@link TrainNet} share during one pass: the kernels, the mode, the seed of
 * this step's dropout masks, and the split of a batch into chunks of images. The chunks are fixed
 * by the batch size alone (not by the threads that run them), and every sum over images is made per
 * chunk and then over chunks in order, so a step gives the same result on any number of cores.
 */
final class TrainContext {
  /** Chunks a batch is split into (fewer for smaller batches). */
  static final int CHUNKS = Math.max(8, Parallel.THREADS);

  final TrainKernels kernels;
  boolean training;
  long seed;

  TrainContext(TrainKernels kernels) {
    this.kernels = kernels;
  }

  /** Work on images {@code [from, to)}, chunk {@code chunk} of a batch. */
  @FunctionalInterface
  interface ChunkBody {
    void run(int chunk, int from, int to);
  }

  /** The number of chunks a batch of n images is split into. */
  static int chunks(int n) {
    return Math.min(n, CHUNKS);
  }

  /** Runs {@code body} once per chunk of a batch of n images, chunks spread over the cores. */
  static void forChunks(int n, ChunkBody body) {
    int chunks = chunks(n);
    Parallel.forEach(chunks, chunks, (c0, c1) -> {
      for (int c = c0; c < c1; c++) {
        body.run(c, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
      }
    });
  }
}
