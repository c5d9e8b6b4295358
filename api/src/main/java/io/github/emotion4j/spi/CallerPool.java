package io.github.emotion4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes a backend's {@link RunnableNetwork} thread-safe when its engine hands out per-call objects
 * that are not (DJL's {@code Predictor}, for one): each concurrent call borrows one, and the pool
 * grows to the peak number of concurrent callers. {@link #close(Runnable)} waits for running calls
 * (through a {@link CallGate}, so at most {@link CallGate#CLOSE_TIMEOUT}), closes every object,
 * then the engine's model. A call after close fails with {@link
 * IllegalStateException}.
 *
 * <pre>{@code
 * pool = new CallerPool<>(model::newPredictor, Predictor::close, "model x on ONNX Runtime");
 * float[] logits(InputBatch b) { return pool.call(predictor -> run(predictor, b)); }
 * void close() { pool.close(model::close); }
 * }</pre>
 *
 * @param <T> the per-call object
 * @since 0.1
 */
public final class CallerPool<T> {
  private final Supplier<T> factory;
  private final Consumer<T> closer;
  private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
  private final List<T> all = new ArrayList<>();
  private final CallGate gate;

  /**
   * Creates an empty pool; objects are made on first need.
   *
   * @param factory makes a new object
   * @param closer closes one
   * @param owner names the network in the error after close
   */
  public CallerPool(Supplier<T> factory, Consumer<T> closer, String owner) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.closer = Objects.requireNonNull(closer, "closer");
    this.gate = new CallGate(Objects.requireNonNull(owner, "owner"));
  }

  /**
   * Runs work with an object no other thread uses meanwhile.
   *
   * @param work the work
   * @param <R> its result
   * @return what the work returns
   * @throws IllegalStateException if the pool is closed
   */
  public <R> R call(Function<T, R> work) {
    return gate.call(() -> {
      T object = idle.pollFirst();
      if (object == null) {
        object = factory.get();
        synchronized (all) {
          all.add(object);
        }
      }
      try {
        return work.apply(object);
      } finally {
        idle.addFirst(object); // most recently used first: its caches are warm
      }
    });
  }

  /**
   * Waits for running calls, closes every object and then runs {@code andThen}; later calls to
   * this method do nothing. See {@link CallGate#close(Runnable)} for calls that outlast the
   * timeout.
   *
   * @param andThen closes what the objects came from, e.g. the engine's model
   */
  public void close(Runnable andThen) {
    gate.close(() -> {
      synchronized (all) {
        all.forEach(closer);
        all.clear();
      }
      idle.clear();
      andThen.run();
    });
  }
}
