package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.Device;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model package compiled into a {@link Plan} and run on the CPU. Thread-safe: each call takes
 * scratch buffers from a pool (no allocation once warm, apart from the returned logits), and a batch
 * is split across cores by images, a single image by tiles inside each layer; every output value is
 * computed by one thread in a fixed order, so results do not depend on threads or batch size.
 */
final class NativeNetwork implements RunnableNetwork {
  /** Below this many FLOPs a layer of one image is not worth splitting across threads. */
  private static final long SPLIT_FLOPS = 200_000;
  /** Chunks per thread when one image or one dense layer is split. */
  private static final int CHUNKS_PER_THREAD = 4;
  private static final int POOL_SLOTS = 64;
  /** Calls in progress in this JVM, over all networks: with one per core, none is split. */
  private static final AtomicInteger ACTIVE_CALLS = new AtomicInteger();

  private final Plan plan;
  private final int imageSize;
  private final BufferPool<float[][]> images;
  private final BufferPool<Matrices> batches;
  private volatile boolean closed;

  NativeNetwork(ModelPackage model, Kernels kernels) {
    this.plan = Plan.compile(model, kernels);
    this.imageSize = model.input().imageSize();
    this.images = new BufferPool<>(POOL_SLOTS, this::newImageBuffers);
    this.batches = new BufferPool<>(POOL_SLOTS, Matrices::new);
  }

  /** The compiled plan, for logs and tests. */
  Plan plan() {
    return plan;
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public float[] logits(InputBatch batch) {
    Objects.requireNonNull(batch, "batch");
    if (closed) {
      throw new IllegalStateException("This native network was closed");
    }
    if (!batch.imageShape().equals(plan.inputShape)) {
      throw new IllegalArgumentException(
          "The network takes images of " + plan.inputShape + ", got " + batch.imageShape());
    }
    int n = batch.size();
    float[] data = batch.data();
    int active = ACTIVE_CALLS.incrementAndGet();
    Matrices m = batches.acquire();
    try {
      boolean split = active < Parallel.THREADS;
      m.ensure(plan, n);
      float[] features = m.data[0];
      if (n == 1 || n < Parallel.THREADS || !split) {
        float[][] buffers = images.acquire();
        try {
          for (int i = 0; i < n; i++) {
            runImage(data, i, buffers, features, split);
          }
        } finally {
          images.release(buffers);
        }
      } else {
        Parallel.forEach(n, n, (from, to) -> {
          float[][] buffers = images.acquire();
          try {
            for (int i = from; i < to; i++) {
              runImage(data, i, buffers, features, false);
            }
          } finally {
            images.release(buffers);
          }
        });
      }
      runVectors(m, n, split);
      float[] logits = new float[n * plan.labels];
      float[] last = m.data[plan.logitsMatrix()];
      int stride = plan.matrixStrides[plan.logitsMatrix()];
      for (int r = 0; r < n; r++) {
        System.arraycopy(last, r * stride, logits, r * plan.labels, plan.labels);
      }
      return logits;
    } finally {
      batches.release(m);
      ACTIVE_CALLS.decrementAndGet();
    }
  }

  private void runImage(float[] data, int image, float[][] buffers, float[] features, boolean split) {
    Geom g = plan.input;
    float[] v0 = buffers[0];
    int c = g.channels();
    int h = g.height();
    int w = g.width();
    int off = image * imageSize;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = g.index(y, x);
        for (int ch = 0; ch < c; ch++) {
          v0[o + ch] = data[off + (ch * h + y) * w + x];
        }
      }
    }
    MapOp[] maps = plan.maps;
    for (int k = 0; k < maps.length; k++) {
      MapOp op = maps[k];
      float[] src = buffers[k];
      float[] dst = buffers[k + 1];
      int tiles = op.tiles();
      if (split && op.flops() >= SPLIT_FLOPS && tiles > 1) {
        Parallel.forEach(tiles, Parallel.THREADS * CHUNKS_PER_THREAD,
            (from, to) -> op.run(src, dst, from, to));
      } else {
        op.run(src, dst, 0, tiles);
      }
    }
    plan.toVector.run(buffers[maps.length], features, image * plan.toVector.features);
  }

  private void runVectors(Matrices m, int n, boolean split) {
    for (int k = 0; k < plan.vecs.length; k++) {
      VecOp op = plan.vecs[k];
      float[] src = m.data[plan.vecSrc[k]];
      float[] dst = m.data[plan.vecDst[k]];
      int tiles = op.tiles(n);
      if (split && tiles > 1 && op.flops() * n >= SPLIT_FLOPS) {
        Parallel.forEach(tiles, Parallel.THREADS * CHUNKS_PER_THREAD,
            (from, to) -> op.run(src, dst, n, from, to));
      } else {
        op.run(src, dst, n, 0, tiles);
      }
    }
  }

  private float[][] newImageBuffers() {
    float[][] b = new float[plan.values.length][];
    for (int v = 0; v < b.length; v++) {
      b[v] = new float[plan.values[v].size()]; // borders stay zero: ops write interiors only
    }
    return b;
  }

  @Override
  public void close() {
    closed = true;
    images.clear();
    batches.clear();
  }

  /** The batch's feature matrices, grown to the largest batch seen. */
  private static final class Matrices {
    float[][] data;
    int rows;

    void ensure(Plan plan, int n) {
      if (data != null && rows >= n) {
        return;
      }
      int[] strides = plan.matrixStrides;
      data = new float[strides.length][];
      for (int i = 0; i < strides.length; i++) {
        long size = (long) strides[i] * n;
        if (size > Integer.MAX_VALUE - 64) {
          throw new IllegalArgumentException("batch of " + n + " images is too large; split it");
        }
        data[i] = new float[(int) size];
      }
      rows = n;
    }
  }
}
