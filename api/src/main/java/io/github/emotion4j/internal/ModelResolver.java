package io.github.emotion4j.internal;

import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.zoo.ModelZoo;

/** Finds models by name for the builder: through the {@link ModelZoo}. */
public final class ModelResolver {
  /** Where bundled model zips and their index live on the class path. */
  public static final String BUNDLED_PREFIX = ModelZoo.BUNDLED_PREFIX;

  private ModelResolver() {}

  /**
   * Returns the model of that name through the given zoo.
   *
   * @param spec {@code name} or {@code name:version}
   * @param zoo the zoo to ask
   * @return the verified package
   * @throws io.github.emotion4j.zoo.ModelNotFoundException if no repository has it
   * @throws io.github.emotion4j.zoo.ZooException if it could not be downloaded or verified
   */
  public static ModelPackage resolve(String spec, ModelZoo zoo) {
    return zoo.load(spec);
  }
}
