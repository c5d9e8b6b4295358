package io.github.emotion4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model zoo against a real HTTP server on loopback serving test-made packages. */
class ModelZooTest {
  private static final String NAME = "fer2013-test";
  private static final String ZIP = NAME + "-1.0.0.zip";

  @TempDir Path tmp;
  private Path mirror;
  private Path cache;
  private TestZooServer server;
  private ModelPackage v1;

  private static ModelPackage model(String version, long seed) {
    return TestData.randomPreset(NetworkPreset.LENET, seed).withName(NAME, version);
  }

  @BeforeEach
  void setUp() throws IOException {
    mirror = Files.createDirectories(tmp.resolve("mirror"));
    cache = tmp.resolve("cache");
    v1 = model("1.0.0", 1);
    v1.save(mirror.resolve(ZIP));
    ModelZoo.writeIndex(mirror);
    server = new TestZooServer(mirror);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  /** A zoo on the test mirror (http allowed), an empty cache, fast timeouts and retries. */
  static final ClassLoader NO_BUNDLED = new java.net.URLClassLoader(new java.net.URL[0], null);

  private ModelZoo.Builder zoo() {
    // an empty class loader: the models bundled in the api jar stay out of these expectations
    return ModelZoo.builder().classLoader(NO_BUNDLED).url(server.url()).allowHttp(true).offline(false).localDirectory(null)
        .cacheDirectory(cache).connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2)).attempts(2).retryBackoff(Duration.ofMillis(10));
  }

  /** After a failure the cache holds no model, no temporary file: at most lock files. */
  private void assertCacheHoldsNoModel() throws IOException {
    if (!Files.exists(cache)) {
      return;
    }
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> left = files.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(".lock")).toList();
      assertEquals(List.of(), left, "the cache must be as it was");
    }
  }

  private List<Path> cachedZips() throws IOException {
    try (Stream<Path> files = Files.walk(cache)) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> !p.getFileName().toString().equals("entry.json")).toList();
    }
  }

  @Test
  void downloadsThenServesFromTheCacheWithTheServerStopped() throws IOException {
    ModelPackage got = zoo().build().load(NAME);
    assertEquals(v1.metadata(), got.metadata());
    assertEquals(1, server.requests("index.json"));
    assertEquals(1, server.requests(ZIP));
    Path cached = cache.resolve(NAME).resolve("1.0.0").resolve(ZIP);
    assertTrue(Files.isRegularFile(cached));
    assertTrue(Files.isRegularFile(cached.resolveSibling("entry.json")));
    assertEquals(List.of(cached), cachedZips());

    server.close();
    ModelZoo again = zoo().build();
    assertEquals(v1.metadata(), again.load(NAME + ":1.0.0").metadata());
    ZooEntry e = again.find(NAME).orElseThrow();
    assertEquals(ModelSource.CACHE, e.source());
    assertEquals(cached.toString(), e.location());
    assertEquals(List.of(NAME + ":1.0.0"), again.listModels().stream().map(ZooEntry::spec).toList());
  }

  @Test
  void progressGrowsToTheTotal() {
    List<long[]> seen = new CopyOnWriteArrayList<>();
    zoo().progress((m, done, total) -> seen.add(new long[] {done, total})).build().load(NAME);
    long size = mirror.resolve(ZIP).toFile().length();
    assertTrue(seen.size() >= 2, "progress calls: " + seen.size());
    assertEquals(0, seen.get(0)[0]);
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(seen.get(i)[0] > seen.get(i - 1)[0], "bytes done must grow");
      assertEquals(size, seen.get(i)[1]);
    }
    assertEquals(size, seen.get(seen.size() - 1)[0]);
  }

  @Test
  void connectionCutHalfwayLeavesTheCacheUnchanged() throws IOException {
    server.mode(ZIP, TestZooServer.Mode.CUT_HALFWAY);
    ZooException e = assertThrows(ZooException.class, () -> zoo().build().load(NAME));
    String url = server.url() + ZIP;
    assertEquals(url, e.url().orElseThrow());
    assertTrue(e.getMessage().contains(url), e.getMessage());
    assertTrue(e.reason().startsWith("connection cut after ") || e.reason().startsWith("truncated"),
        e.reason());
    assertTrue(e.getMessage().contains("after 2 attempts"), e.getMessage());
    assertEquals(2, server.requests(ZIP));
    assertCacheHoldsNoModel();
  }

  @Test
  void tamperedFileLeavesTheCacheUnchanged() throws IOException {
    byte[] bytes = Files.readAllBytes(mirror.resolve(ZIP));
    bytes[bytes.length / 2] ^= 0x5A; // same size, other sha256
    Files.write(mirror.resolve(ZIP), bytes);
    ZooException e = assertThrows(ZooException.class, () -> zoo().build().load(NAME));
    assertEquals("sha256 mismatch", e.reason());
    assertEquals(server.url() + ZIP, e.url().orElseThrow());
    assertTrue(e.getMessage().startsWith("Could not download model \"" + NAME + ":1.0.0\" from "
        + server.url() + ZIP + ": sha256 mismatch: the file has "), e.getMessage());
    assertTrue(e.getMessage().contains("The cache is unchanged."), e.getMessage());
    assertEquals(1, server.requests(ZIP), "a sha256 mismatch is not retried");
    assertCacheHoldsNoModel();
  }

  @Test
  void missingFileIsA404NotRetried() throws IOException {
    Files.delete(mirror.resolve(ZIP));
    ZooException e = assertThrows(ZooException.class, () -> zoo().build().load(NAME));
    assertEquals("HTTP 404", e.reason());
    assertTrue(e.getMessage().startsWith("Could not fetch " + server.url() + ZIP + ": HTTP 404"),
        e.getMessage());
    assertEquals(1, server.requests(ZIP));
    assertCacheHoldsNoModel();
  }

  @Test
  void serverThatStallsPastTheTimeoutFails() throws IOException {
    server.mode(ZIP, TestZooServer.Mode.STALL_BEFORE_HEADERS);
    long start = System.nanoTime();
    ZooException e = assertThrows(ZooException.class,
        // long enough for the index to arrive on a loaded machine, far below the 10 s stall
        () -> zoo().readTimeout(Duration.ofMillis(1000)).build().load(NAME));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.reason().startsWith("timed out"), e.reason());
    assertTrue(e.getMessage().contains(server.url() + ZIP), e.getMessage());
    assertEquals(2, server.requests(ZIP), "a timeout is retried");
    assertTrue(ms < 9_000, "two attempts must not wait out the 10 s stall; took " + ms + " ms");
    assertCacheHoldsNoModel();
  }

  @Test
  void bodyThatStallsHalfwayFails() throws IOException {
    server.mode(ZIP, TestZooServer.Mode.PAUSE_HALFWAY);
    ZooException e = assertThrows(ZooException.class,
        () -> zoo().readTimeout(Duration.ofMillis(1000)).attempts(1).build().load(NAME));
    assertTrue(e.reason().startsWith("stalled: no data for 1000 ms after "), e.reason());
    assertFalse(Thread.currentThread().isInterrupted());
    assertCacheHoldsNoModel();
  }

  @Test
  void serverErrorIsRetried() throws IOException {
    server.mode(ZIP, TestZooServer.Mode.FAIL_500_ONCE);
    assertEquals(v1.metadata(), zoo().build().load(NAME).metadata());
    assertEquals(2, server.requests(ZIP));
    assertEquals(1, cachedZips().size());
  }

  @Test
  void twoThreadsDownloadingAtOnceEndWithOneCopy() throws Exception {
    server.mode(ZIP, TestZooServer.Mode.PAUSE_HALFWAY);
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<ModelPackage>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return zoo().build().load(NAME);
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.requests(ZIP) < 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200); // the other thread now waits for the lock
      server.release();
      for (Future<ModelPackage> r : results) {
        assertEquals(v1.metadata(), r.get(10, TimeUnit.SECONDS).metadata());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, server.requests(ZIP));
    assertEquals(1, cachedZips().size());
  }

  @Test
  void twoJvmsDownloadingAtOnceEndWithOneCopy() throws Exception {
    server.mode(ZIP, TestZooServer.Mode.PAUSE_HALFWAY);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        ZooDownloadMain.class.getName(), server.url(), cache.toString(), NAME)
        .redirectErrorStream(true).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (server.requests(ZIP) < 1 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1, server.requests(ZIP), "the other JVM should be downloading");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<ModelPackage> mine = pool.submit(() -> zoo().readTimeout(Duration.ofSeconds(10))
            .build().load(NAME));
        Thread.sleep(300); // this JVM now waits for the other's file lock
        server.release();
        assertEquals(v1.metadata(), mine.get(20, TimeUnit.SECONDS).metadata());
      } finally {
        pool.shutdownNow();
      }
      assertTrue(child.waitFor(20, TimeUnit.SECONDS));
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, child.exitValue(), out);
      assertTrue(out.contains("OK " + v1.metadata().weightsSha256()), out);
    } finally {
      child.destroyForcibly();
    }
    assertEquals(1, server.requests(ZIP));
    assertEquals(1, cachedZips().size());
  }

  @Test
  void offlineNeverConnectsAndNamesTheMissingModel() {
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> zoo().offline(true).build().load(NAME + ":1.0.0"));
    assertEquals("offline", e.reason());
    assertTrue(e.getMessage().startsWith("No model \"" + NAME + ":1.0.0\" in the emotion4j model zoo."),
        e.getMessage());
    assertTrue(e.getMessage().contains("Offline mode is on (emotion4j.offline or ai.djl.offline), so"
        + " the mirror " + server.url() + " was not asked for model \"" + NAME + ":1.0.0\""),
        e.getMessage());
    assertEquals(0, server.totalRequests());
  }

  @Test
  void offlineUsesTheCache() {
    zoo().build().load(NAME);
    int before = server.totalRequests();
    ModelZoo offline = zoo().offline(true).build();
    assertEquals(v1.metadata(), offline.load(NAME).metadata());
    assertEquals(List.of(NAME + ":1.0.0"), offline.listModels().stream().map(ZooEntry::spec).toList());
    assertEquals(before, server.totalRequests());
  }

  @Test
  void plainHttpIsRefusedUnlessAllowed() throws IOException {
    ZooException e = assertThrows(ZooException.class, () -> zoo().allowHttp(false).build().load(NAME));
    assertEquals("plain http refused", e.reason());
    assertEquals(server.url() + "index.json", e.url().orElseThrow());
    assertTrue(e.getMessage().contains("-Demotion4j.zoo.allowHttp=true"), e.getMessage());
    assertEquals(0, server.totalRequests());
    assertCacheHoldsNoModel();
  }

  @Test
  void unknownNameListsWhatExists() {
    ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
        () -> zoo().build().load("fer2013-nope"));
    assertEquals(List.of(NAME + ":1.0.0"), e.available());
    assertTrue(e.getMessage().contains("Models that exist: " + NAME + ":1.0.0 (remote)."),
        e.getMessage());
    assertTrue(e.getMessage().contains("the mirror " + server.url()), e.getMessage());
    ModelNotFoundException v = assertThrows(ModelNotFoundException.class,
        () -> zoo().build().load(NAME + ":9.9"));
    assertEquals(List.of(NAME + ":1.0.0"), v.available());
  }

  @Test
  void highestVersionWinsUnlessOneIsNamed() throws IOException {
    ModelPackage v12 = model("1.2.0", 2);
    v12.save(mirror.resolve(NAME + "-1.2.0.zip"));
    ModelPackage v110 = model("1.10.0", 3);
    v110.save(mirror.resolve(NAME + "-1.10.0.zip"));
    ModelZoo.writeIndex(mirror);
    ModelZoo zoo = zoo().build();
    assertEquals("1.10.0", zoo.load(NAME).metadata().version());
    assertEquals("1.2.0", zoo.load(NAME + ":1.2.0").metadata().version());
    assertTrue(ModelZoo.compareVersions("2", "10") < 0);
    assertTrue(ModelZoo.compareVersions("1.0.1", "1.0") > 0);
  }

  @Test
  void zipEntryEscapingItsFolderIsRefused() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("../../evil.sh"));
      zip.write("rm -rf /".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("emotion-model.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    byte[] evil = bytes.toByteArray();
    Files.write(mirror.resolve("evil-1.0.zip"), evil);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(evil));
    Files.writeString(mirror.resolve("index.json"), "{\"format-version\": 1, \"models\": [{"
        + "\"name\": \"evil\", \"version\": \"1.0\", \"file\": \"evil-1.0.zip\", \"size\": "
        + evil.length + ", \"sha256\": \"" + sha + "\", \"labels\": []}]}");
    ZooException e = assertThrows(ZooException.class, () -> zoo().build().load("evil"));
    assertEquals("invalid package", e.reason());
    assertTrue(e.getMessage().contains("escapes the package folder"), e.getMessage());
    assertCacheHoldsNoModel();
    assertFalse(Files.exists(tmp.resolve("evil.sh")));
  }

  @Test
  void indexFileEscapingTheMirrorIsRefused() throws IOException {
    Files.writeString(mirror.resolve("index.json"), "{\"models\": [{\"name\": \"x\", \"version\":"
        + " \"1\", \"file\": \"../x.zip\", \"sha256\": \"" + "0".repeat(64) + "\"}]}");
    ZooException e = assertThrows(ZooException.class, () -> zoo().build().load("x"));
    assertEquals("invalid index", e.reason());
    assertTrue(e.getMessage().contains("must be a relative path inside"), e.getMessage());
  }

  @Test
  void localDirectoryWithAnIndexOrJustZips() throws IOException {
    Path indexed = Files.createDirectories(tmp.resolve("indexed"));
    Files.copy(mirror.resolve(ZIP), indexed.resolve(ZIP));
    ModelZoo.writeIndex(indexed);
    ModelZoo zoo = zoo().url(null).localDirectory(indexed).build();
    ZooEntry e = zoo.find(NAME).orElseThrow();
    assertEquals(ModelSource.LOCAL_DIRECTORY, e.source());
    assertEquals(Files.size(indexed.resolve(ZIP)), e.sizeBytes());
    assertEquals("fer2013", e.labelSet());
    assertEquals(v1.metadata(), zoo.load(NAME).metadata());

    Path bare = Files.createDirectories(tmp.resolve("bare"));
    Files.copy(mirror.resolve(ZIP), bare.resolve("whatever.zip"));
    ModelZoo bareZoo = zoo().url(null).localDirectory(bare).build();
    assertEquals(List.of(NAME + ":1.0.0"), bareZoo.listModels().stream().map(ZooEntry::spec).toList());
    assertEquals(v1.metadata(), bareZoo.load(NAME + ":1.0.0").metadata());

    byte[] bytes = Files.readAllBytes(indexed.resolve(ZIP)); // damage the indexed copy
    bytes[bytes.length / 2] ^= 1;
    Files.write(indexed.resolve(ZIP), bytes);
    ZooException d = assertThrows(ZooException.class, () -> zoo().url(null).localDirectory(indexed)
        .build().load(NAME));
    assertEquals("sha256 mismatch", d.reason());
    assertEquals(indexed.resolve(ZIP).toString(), d.url().orElseThrow());
    assertEquals(0, server.totalRequests());
  }

  @Test
  void localDirectoryComesBeforeTheCacheAndTheMirror() throws IOException {
    zoo().build().load(NAME); // now cached
    Path local = Files.createDirectories(tmp.resolve("local"));
    Files.copy(mirror.resolve(ZIP), local.resolve(ZIP));
    assertEquals(ModelSource.LOCAL_DIRECTORY,
        zoo().localDirectory(local).build().find(NAME).orElseThrow().source());
  }

  @Test
  void damagedCacheIsDownloadedAgain() throws IOException {
    zoo().build().load(NAME);
    Path cached = cache.resolve(NAME).resolve("1.0.0").resolve(ZIP);
    byte[] bytes = Files.readAllBytes(cached);
    bytes[bytes.length / 2] ^= 1;
    Files.write(cached, bytes);
    assertEquals(v1.metadata(), zoo().build().load(NAME).metadata());
    assertEquals(2, server.requests(ZIP));
    ZooException e = assertThrows(ZooException.class, () -> {
      Files.write(cached, bytes);
      zoo().offline(true).build().load(NAME);
    });
    assertEquals("sha256 mismatch", e.reason());
  }

  @Test
  void fetchVerifiesTheCachedZipAndDownloadsADamagedOneAgain() throws IOException {
    zoo().build().fetch(NAME);
    Path cached = cache.resolve(NAME).resolve("1.0.0").resolve(ZIP);
    byte[] good = Files.readAllBytes(cached);
    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 1;
    Files.write(cached, flipped);
    ZooEntry e = zoo().build().fetch(NAME);
    assertEquals(ModelSource.CACHE, e.source());
    assertEquals(2, server.requests(ZIP));
    assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(cached)));
    assertEquals(cached.toString(), zoo().build().fetch(NAME).location()); // good now: no download
    assertEquals(2, server.requests(ZIP));

    Files.write(cached, flipped);
    ZooException bad = assertThrows(ZooException.class, () -> zoo().offline(true).build().fetch(NAME));
    assertEquals("sha256 mismatch", bad.reason());
    assertTrue(bad.getMessage().contains(cached.toString()) && bad.getMessage().contains("has sha256"),
        bad.getMessage());
    Files.write(cached, java.util.Arrays.copyOf(good, good.length - 10));
    bad = assertThrows(ZooException.class, () -> zoo().offline(true).build().fetch(NAME));
    assertEquals("size mismatch", bad.reason());
    assertTrue(bad.getMessage().contains("has " + (good.length - 10) + " bytes but its index entry says "
        + good.length), bad.getMessage());
  }

  @Test
  void staleTemporaryFilesAreRemovedUnlessADownloadHoldsTheLock() throws IOException {
    zoo().build().fetch(NAME);
    Path dir = cache.resolve(NAME).resolve("1.0.0");
    Path stale = dir.resolve("." + ZIP + ".4242.part");
    Files.write(stale, new byte[100]);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(".lock"),
            java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = ch.lock()) {
      zoo().offline(true).build().listModels(); // a download holds the directory: its .part may be live
      assertTrue(Files.exists(stale));
    }
    zoo().offline(true).build().listModels();
    assertTrue(Files.notExists(stale));
    // A new model's first download killed: no entry.json yet, only the .part; the download cleans it.
    Path orphan = Files.createDirectories(cache.resolve("other").resolve("2.0.0")).resolve(".other.zip.1.part");
    Files.write(orphan, new byte[10]);
    zoo().offline(true).build().listModels();
    assertTrue(Files.notExists(orphan));
  }

  @Test
  void bundledModelsAreListedFromTheirIndex() throws IOException {
    Path classes = tmp.resolve("classes");
    Path models = Files.createDirectories(classes.resolve(ModelZoo.BUNDLED_PREFIX));
    Files.copy(mirror.resolve(ZIP), models.resolve(ZIP));
    ModelZoo.writeIndex(models);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
      ModelZoo zoo = zoo().offline(true).classLoader(loader).build();
      ZooEntry e = zoo.find(NAME).orElseThrow();
      assertEquals(ModelSource.BUNDLED, e.source());
      assertTrue(e.location().endsWith(ModelZoo.BUNDLED_PREFIX + ZIP), e.location());
      assertEquals(v1.metadata(), zoo.load(NAME).metadata());
    }
    assertEquals(0, server.totalRequests());
  }

  @Test
  void builderResolvesNamesThroughTheZoo() {
    try (EmotionClassifier c = EmotionClassifier.builder().backend("fake").model(NAME + ":1.0.0")
        .zoo(zoo().build()).build()) {
      assertEquals(1, server.requests(ZIP));
      assertTrue(c.toString() != null);
    }
  }
}
