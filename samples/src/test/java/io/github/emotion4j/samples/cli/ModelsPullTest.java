package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.zoo.ModelZoo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code models --pull} downloads from a mirror on loopback, with a progress bar on stderr. */
class ModelsPullTest {
  @Test
  void pullDownloadsIntoTheCacheWithAProgressBar(@TempDir Path tmp) throws IOException {
    Path mirror = Files.createDirectories(tmp.resolve("mirror"));
    TestData.randomPackage("zz-pulled", InputContract.FER2013,
        List.of(new LayerSpec.Flatten(), new LayerSpec.Dense(7, true)), LabelSet.FER2013, 9)
        .save(mirror.resolve("zz-pulled.zip"));
    ModelZoo.writeIndex(mirror);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      Path file = mirror.resolve(exchange.getRequestURI().getPath().substring(1));
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    Path cache = tmp.resolve("cache");
    System.setProperty("emotion4j.zoo.url", url);
    System.setProperty("emotion4j.zoo.allowHttp", "true");
    System.setProperty("emotion4j.cache.dir", cache.toString());
    System.setProperty("emotion4j.offline", "false"); // tests run with ai.djl.offline=true
    try {
      CliRun run = CliRun.of("models", "--pull", "zz-pulled");
      assertEquals(0, run.code(), run::toString);
      assertTrue(run.out().contains("zz-pulled:"), run::toString);
      assertTrue(run.err().contains("KiB/s"), "a progress bar on stderr: " + run.err());
      assertTrue(requests.get() >= 2, "index and package were fetched");
      try (var files = Files.walk(cache)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".zip")), "the package is in the cache");
      }
      CliRun unknown = CliRun.of("models", "--pull", "no-such-model");
      assertEquals(1, unknown.code(), unknown::toString);
      assertTrue(unknown.err().contains("no-such-model"), unknown::toString);
    } finally {
      System.clearProperty("emotion4j.zoo.url");
      System.clearProperty("emotion4j.zoo.allowHttp");
      System.clearProperty("emotion4j.cache.dir");
      System.clearProperty("emotion4j.offline");
      server.stop(0);
    }
  }
}
