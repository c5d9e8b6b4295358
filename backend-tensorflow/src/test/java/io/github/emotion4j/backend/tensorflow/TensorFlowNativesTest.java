package io.github.emotion4j.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction of TensorFlow's natives from the class path, on small stand-in files. The real 630 MB
 * and loading from an empty cache are tested in child JVMs ({@link FreshJvmTest}): a JVM can load
 * TensorFlow only once.
 */
class TensorFlowNativesTest {
  private static final List<String> LIBS =
      List.of("libjnitensorflow.so", "libtensorflow_cc.so.2", "libtensorflow_framework.so.2");

  /** Small stand-ins for the libraries, in src/test/resources, so that copying is quick. */
  private static final String PLATFORM = "test-platform";

  @TempDir
  Path cache;

  @Test
  void extractsIntoAnEmptyFolderThenReusesIt() throws Exception {
    Path dir = cache.resolve("tensorflow-x");
    TensorFlowNatives.ensureExtracted(dir, PLATFORM);
    for (String lib : LIBS) {
      assertTrue(Files.size(dir.resolve(lib)) == 4096, lib);
    }
    assertEquals(List.of("tensorflow-x"), names(cache), "no temporary folder is left behind");
    FileTime before = Files.getLastModifiedTime(dir.resolve(LIBS.get(1)));
    TensorFlowNatives.ensureExtracted(dir, PLATFORM);
    assertEquals(before, Files.getLastModifiedTime(dir.resolve(LIBS.get(1))), "second call reuses");

    // A copy cut short is detected and extracted again.
    long size = Files.size(dir.resolve(LIBS.get(2)));
    try (FileChannel ch = FileChannel.open(dir.resolve(LIBS.get(2)), StandardOpenOption.WRITE)) {
      ch.truncate(size / 2);
    }
    Files.delete(dir.resolve(LIBS.get(0)));
    TensorFlowNatives.ensureExtracted(dir, PLATFORM);
    assertEquals(size, Files.size(dir.resolve(LIBS.get(2))));
    assertTrue(Files.isRegularFile(dir.resolve(LIBS.get(0))));
    assertEquals(List.of("tensorflow-x"), names(cache), "the corrupted copy is removed");
  }

  @Test
  void concurrentExtractionsLeaveOneCompleteFolder() throws Exception {
    Path dir = cache.resolve("tensorflow-y");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> f = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        f.add(pool.submit(() -> {
          TensorFlowNatives.ensureExtracted(dir, PLATFORM);
          return null;
        }));
      }
      for (Future<?> x : f) {
        x.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (String lib : LIBS) {
      assertTrue(Files.size(dir.resolve(lib)) == 4096, lib);
    }
    assertEquals(List.of("tensorflow-y"), names(cache));
  }

  @Test
  void cacheFolderFollowsTheSystemProperty() {
    assertEquals(Path.of(System.getProperty(TensorFlowNatives.CACHE_DIR_PROPERTY)).toAbsolutePath(),
        TensorFlowNatives.cacheRoot());
    assertEquals("1.0.0-rc.1", TensorFlowNatives.version());
    assertEquals("linux-x86_64", TensorFlowNatives.platform());
    assertEquals("", TensorFlowNatives.unavailableReason());
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
