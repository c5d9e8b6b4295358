package io.github.emotion4j.backend.nativejvm;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Reusable scratch objects for concurrent callers: taking and returning one is a compare-and-set on
 * a small array, with no allocation once enough exist. Objects beyond the slots are dropped on
 * return. Thread-safe.
 */
final class BufferPool<T> {
  private final AtomicReferenceArray<T> slots;
  private final Supplier<T> factory;

  BufferPool(int size, Supplier<T> factory) {
    this.slots = new AtomicReferenceArray<>(size);
    this.factory = factory;
  }

  /** Takes a free object, or makes one. */
  T acquire() {
    for (int i = 0; i < slots.length(); i++) {
      T t = slots.get(i);
      if (t != null && slots.compareAndSet(i, t, null)) {
        return t;
      }
    }
    return factory.get();
  }

  /** Returns an object for reuse. */
  void release(T t) {
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, t)) {
        return;
      }
    }
  }

  /** Drops all pooled objects. */
  void clear() {
    for (int i = 0; i < slots.length(); i++) {
      slots.set(i, null);
    }
  }
}
