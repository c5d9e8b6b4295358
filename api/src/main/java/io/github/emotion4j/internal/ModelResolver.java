package io.github.emotion4j.internal;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ModelPackage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
}
