package io.github.emotion4j.backend.onnxruntime;

import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.ModelPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where exported ONNX files are kept between runs: {@code <cache>/onnx/<model>-<weights
 * sha256>-<metadata hash>.onnx}, written atomically so that concurrent processes see a whole file or
 * none. The cache root is the {@value #CACHE_DIR_PROPERTY} system property, else the {@value
 * #CACHE_DIR_ENV} environment variable, else {@code ~/.cache/emotion4j}.
 */
final class OnnxCache {
  /** System property naming emotion4j's cache root. */
  static final String CACHE_DIR_PROPERTY = "emotion4j.cache.dir";
  /** Environment variable naming emotion4j's cache root when the property is not set. */
  static final String CACHE_DIR_ENV = "EMOTION4J_CACHE_DIR";

  private static final Logger log = LoggerFactory.getLogger(OnnxCache.class);

  private OnnxCache() {}

  /** A file holding a package's export, and whether it must be deleted once loaded. */
  record Entry(Path file, boolean temporary, boolean fresh) {}

  /**
   * Returns the ONNX folder of the cache.
   *
   * @return {@code <cache root>/onnx}
   */
  static Path dir() {
    String root = System.getProperty(CACHE_DIR_PROPERTY);
    if (root == null || root.isBlank()) {
      root = System.getenv(CACHE_DIR_ENV);
    }
    Path base = root == null || root.isBlank()
        ? Path.of(System.getProperty("user.home"), ".cache", "emotion4j")
        : Path.of(root);
    return base.resolve("onnx");
  }

  /**
   * Returns the cache file name of a package's export: its name, the weights' sha256 and a hash of
   * the whole metadata (layers, labels, input, provenance) and of the exporter's version.
   *
   * @param model the package
   * @return a file name ending in {@code .onnx}
   */
  static String fileName(ModelPackage model) {
    String key = AtomicFiles.sha256(("emotion4j-onnx-export " + OnnxExporter.EXPORT_VERSION + "\n"
        + model.metadata()).getBytes(StandardCharsets.UTF_8));
    return model.metadata().name() + "-" + model.metadata().weightsSha256().substring(0, 16) + "-"
        + key.substring(0, 16) + ".onnx";
  }

  /**
   * Returns the export of a package, from the cache or freshly written to it. When the cache cannot
   * be written, the export goes to a temporary file that the caller deletes once it is loaded.
   *
   * @param model the package
   * @return the file
   * @throws io.github.emotion4j.ModelPackageException if the package cannot be exported
   */
  static Entry get(ModelPackage model) {
    Path file = dir().resolve(fileName(model));
    if (Files.isRegularFile(file)) {
      log.debug("Using cached ONNX export {}", file);
      return new Entry(file, false, false);
    }
    byte[] onnx = OnnxExporter.export(model);
    try {
      AtomicFiles.write(file, onnx);
      log.debug("Exported model \"{}\" to {} ({} bytes)", model.metadata().name(), file, onnx.length);
      return new Entry(file, false, true);
    } catch (IOException | SecurityException e) {
      log.warn("Cannot write the ONNX cache {} ({}); exporting model \"{}\" to a temporary file. "
          + "Set -D{} to a writable folder to keep exports between runs.",
          file.getParent(), e.toString(), model.metadata().name(), CACHE_DIR_PROPERTY);
      try {
        Path tmp = Files.createTempFile("emotion4j-" + model.metadata().name() + "-", ".onnx");
        Files.write(tmp, onnx);
        return new Entry(tmp, true, true);
      } catch (IOException e2) {
        e2.addSuppressed(e);
        throw new io.github.emotion4j.ModelPackageException(
            "Could not write the ONNX export of model \"" + model.metadata().name()
                + "\" to the cache " + file.getParent() + " or to a temporary file: " + e2, e2);
      }
    }
  }

  /**
   * Removes a cached file, e.g. one ONNX Runtime refused; missing is fine.
   *
   * @param file the file
   */
  static void evict(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("Could not delete {}: {}", file, e.toString());
    }
  }
}
