package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.internal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds TensorFlow's native libraries without downloading anything: it extracts them from the
 * {@code org.tensorflow:tensorflow-core-native} jar on the class path into a cache folder, once, and
 * points DJL's TensorFlow engine at that folder through the {@value #LIBRARY_PATH} system property
 * before the engine loads. Hosts set nothing.
 *
 * <p>The cache folder is {@code <cache>/tensorflow-<version>-<platform>}, e.g. {@code
 * ~/.cache/emotion4j/tensorflow-1.0.0-rc.1-linux-x86_64}, where {@code <cache>} is the system
 * property {@value #CACHE_DIR_PROPERTY}, else the environment variable {@value #CACHE_DIR_ENV},
 * else {@code $XDG_CACHE_HOME/emotion4j}, else {@code ~/.cache/emotion4j}. Extraction writes a
 * temporary folder beside it and renames it into place, so two JVMs starting at once both end up
 * with one complete folder. A folder whose files do not have the sizes of the jar's entries (a
 * copy cut short, a file deleted) is detected, moved aside and extracted again.
 *
 * <p>It also sets JavaCPP's {@code org.bytedeco.javacpp.pathsFirst} to {@code true} unless the
 * host set it, so that JavaCPP (which TF Java uses) loads the libraries from that folder instead of
 * extracting a second copy into {@code ~/.javacpp/cache}.
 *
 * <p>If the host already set {@value #LIBRARY_PATH} (environment variable or system property), its
 * choice is kept and nothing is extracted.
 *
 * <p>Thread-safe; {@link #libraryDir()} does its work once per JVM.
 *
 * @since 0.1
 */
public final class TensorFlowNatives {
  /** The variable DJL's TensorFlow engine reads (environment first, then system property). */
  public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
  /** System property naming emotion4j's cache folder. */
  public static final String CACHE_DIR_PROPERTY = "emotion4j.cache.dir";
  /** Environment variable naming emotion4j's cache folder, if the system property is not set. */
  public static final String CACHE_DIR_ENV = "EMOTION4J_CACHE_DIR";

  private static final Logger log = LoggerFactory.getLogger(TensorFlowNatives.class);
  private static final String RESOURCE_ROOT = "org/tensorflow/internal/c_api/";
  private static final String NATIVE_POM =
      "META-INF/maven/org.tensorflow/tensorflow-core-native/pom.properties";
  private static final String JAVACPP_PATHS_FIRST = "org.bytedeco.javacpp.pathsFirst";
  private static final String JNI_LIBRARY = "libjnitensorflow.so";
  private static final List<String> LINUX_LIBRARIES =
      List.of(JNI_LIBRARY, "libtensorflow_cc.so.2", "libtensorflow_framework.so.2");

  private static volatile Path libraryDir;

  private TensorFlowNatives() {}

  /**
   * Returns the platform classifier of this JVM as TensorFlow Java names it.
   *
   * @return e.g. {@code linux-x86_64}, or {@code os-arch} for a platform without a mapping
   */
  public static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
        : os.startsWith("windows") ? "windows" : os.replace(' ', '_');
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
        : arch.equals("aarch64") ? "arm64" : arch;
    return o + "-" + a;
  }

  /**
   * Returns the TensorFlow natives version on the class path (from the native jar's Maven
   * metadata, else the version this module was built against).
   *
   * @return e.g. {@code 1.0.0-rc.1}
   */
  public static String version() {
    ClassLoader cl = TensorFlowNatives.class.getClassLoader();
    for (String resource : List.of(NATIVE_POM, "io/github/emotion4j/backend/tensorflow/natives.properties")) {
      try (InputStream in = cl.getResourceAsStream(resource)) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String v = p.getProperty(resource.equals(NATIVE_POM) ? "version" : "tensorflow.native.version");
          if (v != null && !v.isBlank() && !v.startsWith("${")) {
            return v.trim();
          }
        }
      } catch (IOException e) {
        log.debug("Could not read {}: {}", resource, e.toString());
      }
    }
    return "unknown";
  }

  /**
   * Returns emotion4j's cache folder (see the class description for how it is chosen).
   *
   * @return the folder; not necessarily existing
   */
  public static Path cacheRoot() {
    String p = System.getProperty(CACHE_DIR_PROPERTY);
    if (p == null || p.isBlank()) {
      p = System.getenv(CACHE_DIR_ENV);
    }
    if (p != null && !p.isBlank()) {
      return Path.of(p).toAbsolutePath();
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("emotion4j").toAbsolutePath();
  }

  /**
   * Tells cheaply, without loading or extracting anything, why TensorFlow's natives cannot be
   * found, if they cannot.
   *
   * @return empty if the natives are on the class path or the host set {@value #LIBRARY_PATH};
   *     else the reason and what to add
   */
  public static String unavailableReason() {
    if (hostLibraryPath() != null) {
      return "";
    }
    String platform = platform();
    if (!platform.equals("linux-x86_64")) {
      return "emotion4j extracts TensorFlow's natives for linux-x86_64 only, and this is "
          + platform + ". Set " + LIBRARY_PATH + " to a folder holding TensorFlow "
          + "2.16's libjnitensorflow for this platform";
    }
    ClassLoader cl = TensorFlowNatives.class.getClassLoader();
    for (String lib : LINUX_LIBRARIES) {
      if (cl.getResource(RESOURCE_ROOT + platform + "/" + lib) == null) {
        return "TensorFlow's natives are not on the class path (" + RESOURCE_ROOT + platform + "/"
            + lib + " is missing). Add org.tensorflow:tensorflow-core-native:" + version()
            + " with classifier " + platform;
      }
    }
    return "";
  }

  /**
   * Makes sure the natives are in their cache folder and sets {@value #LIBRARY_PATH} to it, once
   * per JVM. Call before DJL's TensorFlow engine or any {@code org.tensorflow} class first loads.
   *
   * @return the folder holding {@code libjnitensorflow.so}
   * @throws BackendUnavailableException if the natives are missing or cannot be extracted
   */
  public static Path libraryDir() {
    Path dir = libraryDir;
    if (dir != null) {
      return dir;
    }
    synchronized (TensorFlowNatives.class) {
      if (libraryDir == null) {
        libraryDir = prepare();
      }
      return libraryDir;
    }
  }

  private static String hostLibraryPath() {
    String env = System.getenv(LIBRARY_PATH);
    if (env != null && !env.isBlank()) {
      return env;
    }
    String prop = System.getProperty(LIBRARY_PATH);
    return prop != null && !prop.isBlank() ? prop : null;
  }

  private static Path prepare() {
    String host = hostLibraryPath();
    if (host != null) {
      log.debug("{} is set to {}: using the host's TensorFlow natives", LIBRARY_PATH, host);
      return Path.of(host.split(java.io.File.pathSeparator)[0]);
    }
    String reason = unavailableReason();
    if (!reason.isEmpty()) {
      throw new BackendUnavailableException(reason);
    }
    Path dir = cacheRoot().resolve("tensorflow-" + version() + "-" + platform());
    try {
      ensureExtracted(dir, platform());
    } catch (IOException | UncheckedIOException e) {
      throw new BackendUnavailableException(
          "Could not extract TensorFlow's natives to " + dir + ": " + e
              + ". Free disk space, make the folder writable, or set the system property "
              + CACHE_DIR_PROPERTY + " to another folder", e);
    }
    System.setProperty(LIBRARY_PATH, dir.toString());
    if (System.getProperty(JAVACPP_PATHS_FIRST) == null) {
      // JavaCPP (under TF Java) would otherwise extract a second copy from the class path into
      // ~/.javacpp/cache; with paths first it loads the libraries DJL points it at.
      System.setProperty(JAVACPP_PATHS_FIRST, "true");
    }
    log.debug("TensorFlow natives in {}; set {}", dir, LIBRARY_PATH);
    return dir;
  }

  /**
   * Extracts the natives into {@code dir} unless a complete copy is there already.
   *
   * @param dir the versioned cache folder
   * @param platform the resource folder's platform name
   * @throws IOException if extraction fails
   */
  static void ensureExtracted(Path dir, String platform) throws IOException {
    List<Long> sizes = resourceSizes(platform);
    for (int attempt = 0; attempt < 5; attempt++) {
      if (isComplete(dir, sizes)) {
        log.debug("TensorFlow natives already in {}", dir);
        return;
      }
      Path parent = dir.getParent();
      Files.createDirectories(parent);
      if (Files.exists(dir)) {
        // Incomplete or corrupted: move it aside atomically (another JVM may be doing the same).
        Path aside = parent.resolve("." + dir.getFileName() + ".corrupt-" + System.nanoTime());
        log.warn("TensorFlow natives in {} are incomplete or corrupted; extracting them again", dir);
        try {
          Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
          AtomicFiles.deleteTree(aside);
        } catch (NoSuchFileException e) {
          // another JVM moved it first
        }
        continue;
      }
      Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
      try {
        long start = System.nanoTime();
        for (String lib : LINUX_LIBRARIES) {
          try (InputStream in = open(platform, lib)) {
            Files.copy(in, tmp.resolve(lib));
          }
        }
        try {
          Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
          log.info("Extracted TensorFlow natives to {} in {} ms", dir,
              (System.nanoTime() - start) / 1_000_000);
          return;
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("the file system of " + parent + " cannot rename atomically", e);
        } catch (FileSystemException e) {
          // The folder appeared meanwhile (Linux reports "Directory not empty"): another thread or
          // process extracted first. The loop checks that its copy is complete.
          if (!Files.exists(dir)) {
            throw e;
          }
          log.debug("Another process extracted TensorFlow natives to {} first", dir);
        }
      } finally {
        AtomicFiles.deleteTree(tmp);
      }
    }
    if (!isComplete(dir, sizes)) {
      throw new IOException("the folder stays incomplete after 5 attempts");
    }
  }

  private static InputStream open(String platform, String lib) throws IOException {
    InputStream in = TensorFlowNatives.class.getClassLoader()
        .getResourceAsStream(RESOURCE_ROOT + platform + "/" + lib);
    if (in == null) {
      throw new NoSuchFileException(RESOURCE_ROOT + platform + "/" + lib + " (class path)");
    }
    return in;
  }

  /** The uncompressed size of each library in the jar, -1 where the jar does not say. */
  private static List<Long> resourceSizes(String platform) throws IOException {
    List<Long> sizes = new ArrayList<>();
    for (String lib : LINUX_LIBRARIES) {
      URL url = TensorFlowNatives.class.getClassLoader().getResource(RESOURCE_ROOT + platform + "/" + lib);
      if (url == null) {
        throw new NoSuchFileException(RESOURCE_ROOT + platform + "/" + lib + " (class path)");
      }
      URLConnection c = url.openConnection();
      c.setUseCaches(false);
      long size;
      if (c instanceof JarURLConnection jar) {
        size = jar.getJarEntry().getSize();
        jar.getJarFile().close();
      } else {
        size = c.getContentLengthLong();
      }
      sizes.add(size);
    }
    return sizes;
  }

  private static boolean isComplete(Path dir, List<Long> sizes) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    for (int i = 0; i < LINUX_LIBRARIES.size(); i++) {
      Path f = dir.resolve(LINUX_LIBRARIES.get(i));
      if (!Files.isRegularFile(f)) {
        return false;
      }
      long expected = sizes.get(i);
      if (expected >= 0 && Files.size(f) != expected) {
        return false;
      }
    }
    return true;
  }
}
