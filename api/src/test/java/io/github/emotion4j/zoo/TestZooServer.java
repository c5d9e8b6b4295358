package io.github.emotion4j.zoo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback serving a folder as a model mirror, counting requests per file,
 * with per-file misbehaviour: cut the connection halfway, fail once with 500, stall before or
 * during the response.
 */
final class TestZooServer implements AutoCloseable {
  /** How a file is served. */
  enum Mode {
    /** Whole file. */
    NORMAL,
    /** Announces the full length, sends half, closes the connection. */
    CUT_HALFWAY,
    /** HTTP 500 on the first request, then the file. */
    FAIL_500_ONCE,
    /** Sends nothing until {@link #release()} (or 10 s). */
    STALL_BEFORE_HEADERS,
    /** Sends headers and half, then waits for {@link #release()} (or 10 s), then the rest. */
    PAUSE_HALFWAY
  }

  private final Path root;
  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, Mode> modes = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  TestZooServer(Path root) throws IOException {
    this.root = root;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-zoo-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, {@code http://127.0.0.1:<port>/}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  void mode(String file, Mode mode) {
    modes.put(file, mode);
  }

  int requests(String file) {
    AtomicInteger n = counts.get(file);
    return n == null ? 0 : n.get();
  }

  int totalRequests() {
    return total.get();
  }

  /** Lets stalled or paused responses go on. */
  void release() {
    release.countDown();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath().substring(1);
    total.incrementAndGet();
    int n = counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    Path file = root.resolve(path).normalize();
    try (ex) {
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      Mode mode = modes.getOrDefault(path, Mode.NORMAL);
      switch (mode) {
        case FAIL_500_ONCE:
          if (n == 1) {
            ex.sendResponseHeaders(500, -1);
            return;
          }
          break;
        case STALL_BEFORE_HEADERS:
          await();
          break;
        case CUT_HALFWAY:
          ex.sendResponseHeaders(200, bytes.length);
          OutputStream out = ex.getResponseBody();
          out.write(bytes, 0, bytes.length / 2);
          out.flush();
          return; // closing the exchange short of the announced length drops the connection
        case PAUSE_HALFWAY:
          ex.sendResponseHeaders(200, bytes.length);
          OutputStream o = ex.getResponseBody();
          o.write(bytes, 0, bytes.length / 2);
          o.flush();
          await();
          o.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
          return;
        default:
          break;
      }
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
    } catch (IOException e) {
      // the client went away (e.g. after its timeout): nothing to do
    }
  }

  private void await() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }
}
