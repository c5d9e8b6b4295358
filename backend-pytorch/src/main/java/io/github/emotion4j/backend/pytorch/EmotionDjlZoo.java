package io.github.emotion4j.backend.pytorch;

import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import io.github.emotion4j.zoo.ZooEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * emotion4j's model zoo as DJL sees it: group id {@value #GROUP_ID}, one {@link ModelLoader} per
 * model name, engine PyTorch. The models are those of {@link io.github.emotion4j.zoo.ModelZoo},
 * configured from the environment at each lookup, so DJL's {@code Criteria} finds the same models
 * as {@code EmotionClassifier.builder().model(name)}, in the same repository order.
 */
final class EmotionDjlZoo extends ModelZoo {
  /** The group id to pass to {@code Criteria.Builder.optGroupId}. */
  static final String GROUP_ID = "io.github.emotion4j";

  private static final Logger log = LoggerFactory.getLogger(EmotionDjlZoo.class);

  @Override
  public String getGroupId() {
    return GROUP_ID;
  }

  @Override
  public Set<String> getSupportedEngines() {
    return Set.of(PyTorchBackend.ENGINE);
  }

  /** Lists the zoo now (bundled, local directory, cache and, unless offline, the mirror). */
  @Override
  public Collection<ModelLoader> getModelLoaders() {
    List<ModelLoader> loaders = new ArrayList<>();
    for (String name : names()) {
      loaders.add(new EmotionModelLoader(name));
    }
    return loaders;
  }

  @Override
  public ModelLoader getModelLoader(String name) {
    for (String n : names()) {
      if (n.equalsIgnoreCase(name)) {
        return new EmotionModelLoader(n);
      }
    }
    return null;
  }

  private static Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (ZooEntry e : io.github.emotion4j.zoo.ModelZoo.fromEnvironment().listModels()) {
        names.add(e.name().toLowerCase(Locale.ROOT));
      }
    } catch (RuntimeException e) { // a bad setting must not break DJL lookups of other zoos
      log.warn("The emotion4j model zoo cannot be listed: {}", e.getMessage());
    }
    return names;
  }
}
