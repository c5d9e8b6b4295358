package io.github.emotion4j.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orderly shutdown for a {@link RunnableNetwork}: {@link #close(Runnable)} refuses new calls, waits
 * for the calls in flight (at most {@link #CLOSE_TIMEOUT}), then frees the engine's resources. If
 * calls are still running after the timeout, {@code close} returns and the last of them frees the
 * resources when it ends: native memory is never released under a running call. A call after
 * {@code close} fails with {@link IllegalStateException} ("… is closed"), the api's closed error.
 *
 * <pre>{@code
 * gate = new CallGate("model x on PyTorch");
 * float[] logits(InputBatch b) { return gate.call(() -> run(b)); }
 * void close() { gate.close(model::close); }
 * }</pre>
 *
 * @since 0.1
 */
public final class CallGate {
  /** How long {@link #close(Runnable)} waits for calls in flight before it returns: 30 seconds. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(CallGate.class);

  private final String owner;
  private final long timeoutNanos;
  private int running;
  private boolean closed;
  private Runnable pendingRelease;

  /**
   * Creates an open gate that waits {@link #CLOSE_TIMEOUT} on close.
   *
   * @param owner names the network in the error after close
   */
  public CallGate(String owner) {
    this(owner, CLOSE_TIMEOUT);
  }

  /**
   * Creates an open gate.
   *
   * @param owner names the network in the error after close
   * @param closeTimeout how long close waits for calls in flight
   */
  public CallGate(String owner, Duration closeTimeout) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.timeoutNanos = closeTimeout.toNanos();
  }

  /**
   * Runs a call unless the gate is closed.
   *
   * @param work the call
   * @param <R> its result
   * @return what the call returns
   * @throws IllegalStateException if {@link #close(Runnable)} was called
   */
  public <R> R call(Supplier<R> work) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(owner + " is closed");
      }
      running++;
    }
    try {
      return work.get();
    } finally {
      Runnable release = null;
      synchronized (this) {
        if (--running == 0) {
          notifyAll();
          release = pendingRelease;
          pendingRelease = null;
        }
      }
      if (release != null) {
        release.run();
      }
    }
  }

  /**
   * Refuses new calls, waits for running ones (at most the close timeout), then runs {@code
   * release}; later calls to this method do nothing. After the timeout, {@code release} runs when
   * the last running call ends instead, and a WARN says so.
   *
   * @param release frees the engine's resources, e.g. closes its model
   */
  public void close(Runnable release) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      long deadline = System.nanoTime() + timeoutNanos;
      boolean interrupted = false;
      while (running > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (running > 0) {
        log.warn("{}: {} call(s) still running after {} ms; their resources are freed when the last ends",
            owner, running, timeoutNanos / 1_000_000);
        pendingRelease = release;
        return;
      }
    }
    release.run();
  }
}
