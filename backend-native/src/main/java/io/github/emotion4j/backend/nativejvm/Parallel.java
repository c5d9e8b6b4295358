package io.github.emotion4j.backend.nativejvm;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits work across the machine's cores: the calling thread and up to {@code cores - 1} helpers
 * from one shared pool of daemon threads claim chunks of a range until none are left, so a call
 * never waits for a helper that has not started (the caller then does all chunks itself), and any
 * number of callers can run at once. Thread-safe.
 */
final class Parallel {
  /** The cores this JVM may use. */
  static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  /** How long a caller spins for its helpers' last chunks before it parks. */
  private static final long SPIN_NANOS = 50_000;

  private static final ForkJoinPool POOL =
      THREADS == 1 ? null : new ForkJoinPool(THREADS - 1, Parallel::newWorker, null, true);

  private Parallel() {}

  /** Work over a range of tiles. */
  @FunctionalInterface
  interface Body {
    /** Does tiles {@code [from, to)}. */
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, tiles)} in {@code chunks} contiguous chunks, on the calling
   * thread and the pool's helpers, and returns when all are done.
   *
   * @throws RuntimeException or Error: the first one a chunk threw
   */
  static void forEach(int tiles, int chunks, Body body) {
    int n = Math.min(chunks, tiles);
    if (n <= 1 || POOL == null) {
      body.run(0, tiles);
      return;
    }
    Job job = new Job(tiles, n, body, Thread.currentThread());
    int helpers = Math.min(THREADS - 1, n - 1);
    for (int h = 0; h < helpers; h++) {
      POOL.execute(job);
    }
    job.run();
    job.await();
    Throwable error = job.error;
    if (error instanceof RuntimeException e) {
      throw e;
    }
    if (error instanceof Error e) {
      throw e;
    }
    if (error != null) {
      throw new IllegalStateException(error);
    }
  }

  private static ForkJoinWorkerThread newWorker(ForkJoinPool pool) {
    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
    t.setName("emotion4j-native-" + t.getPoolIndex());
    t.setDaemon(true);
    return t;
  }

  /** One call's chunks, claimed by whoever runs it. */
  private static final class Job implements Runnable {
    private final int tiles;
    private final int chunks;
    private final Body body;
    private final Thread owner;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();
    private volatile Throwable error;

    Job(int tiles, int chunks, Body body, Thread owner) {
      this.tiles = tiles;
      this.chunks = chunks;
      this.body = body;
      this.owner = owner;
    }

    @Override
    public void run() {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        try {
          if (error == null) {
            body.run((int) ((long) tiles * c / chunks), (int) ((long) tiles * (c + 1) / chunks));
          }
        } catch (Throwable t) {
          if (error == null) {
            error = t;
          }
        } finally {
          if (done.incrementAndGet() == chunks && Thread.currentThread() != owner) {
            LockSupport.unpark(owner);
          }
        }
      }
    }

    void await() {
      long start = System.nanoTime();
      while (done.get() < chunks) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(this, 100_000);
        }
      }
    }
  }
}
