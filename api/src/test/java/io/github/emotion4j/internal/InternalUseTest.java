package io.github.emotion4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A ratchet on {@code io.github.emotion4j.internal} outside the api module (issue 22): the main
 * sources of the other modules may reference it only in the files listed here, which are the uses
 * left from before the rule. A new use fails; so does a listed file that no longer needs it (take
 * it off the list). The list is to shrink to nothing, after which JPMS can stop exporting the
 * package. See docs/ARCHITECTURE.md.
 */
class InternalUseTest {
  private static final String INTERNAL = "io.github.emotion4j.internal";

  /** Repository-relative main-source files that still reference the package. */
  private static final Set<String> STILL_ALLOWED = Set.of(
      "backend-onnxruntime/src/main/java/io/github/emotion4j/backend/onnxruntime/OnnxCache.java",
      "backend-onnxruntime/src/main/java/io/github/emotion4j/backend/onnxruntime/OnnxExporter.java",
      "backend-tensorflow/src/main/java/io/github/emotion4j/backend/tensorflow/SavedModelExporter.java",
      "backend-tensorflow/src/main/java/io/github/emotion4j/backend/tensorflow/TensorFlowBackend.java",
      "backend-tensorflow/src/main/java/io/github/emotion4j/backend/tensorflow/TensorFlowNatives.java",
      "benchmarks/src/main/java/io/github/emotion4j/benchmarks/BackendBenchmark.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/BackendsCommand.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/BenchmarkCommand.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/Charts.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/Emotion4jCli.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/EvaluateCommand.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/FacesMode.java",
      "samples/src/main/java/io/github/emotion4j/samples/cli/TrainCommand.java");

  @Test
  void onlyTheListedFilesOutsideTheApiUseInternal() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    Assumptions.assumeTrue(root != null && Files.isDirectory(root.resolve("api/src/main/java"))
        && Files.isRegularFile(root.resolve("pom.xml")), "not run from the repository's api module");
    Set<String> users = new TreeSet<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(m -> !m.getFileName().toString().equals("api")).toList()) {
        Path main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          users.addAll(usersIn(root, main));
        }
      }
    }
    Set<String> added = new TreeSet<>(users);
    added.removeAll(STILL_ALLOWED);
    Set<String> gone = new TreeSet<>(STILL_ALLOWED);
    gone.removeAll(users);
    assertEquals(Set.of(), added, "new uses of " + INTERNAL + " outside the api: use the public API or SPI");
    assertEquals(Set.of(), gone, "these no longer use " + INTERNAL + ": take them off STILL_ALLOWED");
  }

  private static List<String> usersIn(Path root, Path main) throws IOException {
    try (Stream<Path> files = Files.walk(main)) {
      return files.filter(f -> f.toString().endsWith(".java")).filter(InternalUseTest::mentionsInternal)
          .map(f -> root.relativize(f).toString().replace('\\', '/')).toList();
    }
  }

  private static boolean mentionsInternal(Path file) {
    try {
      return Files.readString(file).contains(INTERNAL);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
