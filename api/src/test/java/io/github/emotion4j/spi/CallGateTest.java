package io.github.emotion4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate's order: running calls end before the release, later calls are refused. */
class CallGateTest {

  /** A call that enters, waits for {@code finish}, and returns how often the release has run. */
  private static CompletableFuture<Integer> blockedCall(CallGate gate, CountDownLatch inside,
      CountDownLatch finish, AtomicInteger released) {
    return CompletableFuture.supplyAsync(() -> gate.call(() -> {
      inside.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return released.get();
    }));
  }

  @Test
  void closeWaitsForARunningCallThenReleasesOnce() throws Exception {
    CallGate gate = new CallGate("net x");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger released = new AtomicInteger();
    CompletableFuture<Integer> call = blockedCall(gate, inside, finish, released);
    inside.await();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> gate.close(released::incrementAndGet));
    while (true) { // close() has refused new calls before it waits
      try {
        gate.call(() -> 0);
      } catch (IllegalStateException e) {
        assertEquals("net x is closed", e.getMessage());
        break;
      }
      Thread.onSpinWait();
    }
    assertFalse(closing.isDone());
    finish.countDown();
    assertEquals(0, call.get());
    closing.get();
    assertEquals(1, released.get());
    gate.close(released::incrementAndGet);
    assertEquals(1, released.get());
  }

  @Test
  void afterTheTimeoutTheLastRunningCallReleases() throws Exception {
    CallGate gate = new CallGate("net y", Duration.ofMillis(1));
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger released = new AtomicInteger();
    CompletableFuture<Integer> call = blockedCall(gate, inside, finish, released);
    inside.await();
    gate.close(released::incrementAndGet); // returns after the timeout, the call still running
    assertEquals(0, released.get());
    assertThrows(IllegalStateException.class, () -> gate.call(() -> 0));
    finish.countDown();
    assertEquals(0, call.get());
    assertEquals(1, released.get());
  }
}
