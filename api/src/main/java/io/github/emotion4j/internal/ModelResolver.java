package io.github.emotion4j.internal;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ModelPackage;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds models by name: the ones bundled on the class path. */
public final class ModelResolver {
  /** Where bundled model zips live on the class path. */
  public static final String BUNDLED_PREFIX = "io/github/emotion4j/models/";

  private static final Map<String, ModelPackage> CACHE = new ConcurrentHashMap<>();

  private ModelResolver() {}

  /**
   * Returns the model of that name.
   *
   * @param name the model's name
   * @return the package
   * @throws ModelPackageException if no model of that name is found
   */
  public static ModelPackage resolve(String name) {
    ModelPackage cached = CACHE.get(name);
    if (cached != null) {
      return cached;
    }
    String resource = BUNDLED_PREFIX + name + ".zip";
    try (InputStream in = ModelResolver.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelPackageException(
            "No model named \"" + name + "\": it is not bundled on the class path (" + resource
                + "). Pass a package with model(Path), or see docs/errors.md#model-not-found");
      }
      ModelPackage model = ModelPackage.fromZip(in, "classpath:" + resource);
      CACHE.putIfAbsent(name, model);
      return model;
    } catch (IOException e) {
      throw new ModelPackageException("Could not read bundled model " + resource + ": " + e, e);
    }
  }

  /**
   * Lists the models bundled on the class path: every {@code .zip} directly under {@value
   * #BUNDLED_PREFIX}, in folders and jars alike, plus the default model if it can be opened as a
   * resource. Reads no package.
   *
   * @return the model names, sorted; empty when none is bundled
   */
  public static List<String> bundledNames() {
    TreeSet<String> names = new TreeSet<>();
    ClassLoader loader = ModelResolver.class.getClassLoader();
    try {
      Enumeration<URL> dirs = loader.getResources(BUNDLED_PREFIX);
      while (dirs.hasMoreElements()) {
        URL url = dirs.nextElement();
        if ("file".equals(url.getProtocol())) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files.map(f -> f.getFileName().toString()).forEach(n -> addZip(names, n));
          }
        } else if ("jar".equals(url.getProtocol())) {
          JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile();
          for (JarEntry e : java.util.Collections.list(jar.entries())) {
            String n = e.getName();
            if (n.startsWith(BUNDLED_PREFIX) && n.indexOf('/', BUNDLED_PREFIX.length()) < 0) {
              addZip(names, n.substring(BUNDLED_PREFIX.length()));
            }
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // a class path we cannot list still lets the known name be probed below
    }
    String known = io.github.emotion4j.EmotionClassifierBuilder.DEFAULT_MODEL;
    if (loader.getResource(BUNDLED_PREFIX + known + ".zip") != null) {
      names.add(known);
    }
    return List.copyOf(new ArrayList<>(names));
  }

  private static void addZip(TreeSet<String> names, String fileName) {
    if (fileName.endsWith(".zip") && fileName.length() > 4) {
      names.add(fileName.substring(0, fileName.length() - 4));
    }
  }
}
