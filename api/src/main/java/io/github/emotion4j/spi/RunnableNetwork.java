package io.github.emotion4j.spi;

import io.github.emotion4j.Device;

/**
 * A model package loaded into an engine on one device: maps preprocessed batches to logits.
 * Implementations are thread-safe: many threads may call {@link #logits} at once, and get the same
 * results as one thread would.
 *
 * @since 0.1
 */
public interface RunnableNetwork extends AutoCloseable {
  /**
   * Returns the concrete device the network runs on.
   *
   * @return {@link Device#CPU} or {@link Device#GPU}
   */
  Device device();

  /**
   * Runs the network on a batch.
   *
   * @param batch the preprocessed images
   * @return {@code batch.size() × labels} logits, image-major
   */
  float[] logits(InputBatch batch);

  /** Releases the engine resources; later calls to {@link #logits} fail. */
  @Override
  void close();
}
