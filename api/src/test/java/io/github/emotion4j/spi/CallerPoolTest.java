package io.github.emotion4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CallerPoolTest {
  /** A per-call object that records whether it was closed. */
  static final class Handle {
    volatile boolean closed;
  }

  private final List<Handle> made = new ArrayList<>();
  private final CallerPool<Handle> pool = new CallerPool<>(this::make, h -> h.closed = true, "net x");

  private synchronized Handle make() {
    Handle h = new Handle();
    made.add(h);
    return h;
  }

  @Test
  void oneCallerAtATimeReusesOneObject() {
    Handle first = pool.call(h -> h);
    assertSame(first, pool.call(h -> h));
    assertEquals(1, made.size());
  }

  @Test
  void concurrentCallersGetTheirOwnObjectsAndCloseWaitsForThem() throws Exception {
    CountDownLatch bothInside = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      List<Future<Handle>> calls = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        calls.add(threads.submit(() -> pool.call(h -> {
          bothInside.countDown();
          await(release);
          return h;
        })));
      }
      assertTrue(bothInside.await(10, TimeUnit.SECONDS));
      AtomicBoolean modelClosed = new AtomicBoolean();
      Future<?> closing = threads.submit(() -> pool.close(() -> modelClosed.set(true)));
      Thread.sleep(100);
      assertFalse(modelClosed.get(), "close must wait for running calls");
      release.countDown();
      assertNotSame(calls.get(0).get(), calls.get(1).get());
      closing.get(10, TimeUnit.SECONDS);
      assertTrue(modelClosed.get());
      assertEquals(2, made.size());
      made.forEach(h -> assertTrue(h.closed));
    } finally {
      threads.shutdownNow();
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.call(h -> h));
    assertEquals("net x is closed", e.getMessage());
    pool.close(() -> {
      throw new AssertionError("a second close does nothing");
    });
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
