package io.github.emotion4j.backend.pytorch;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Registers emotion4j's model zoo with DJL (through {@code META-INF/services}), so that DJL's own
 * {@code Criteria} finds emotion4j models by name, version, labels and architecture:
 *
 * <pre>{@code
 * Criteria<Image, Classifications> criteria = Criteria.builder()
 *     .setTypes(Image.class, Classifications.class)
 *     .optGroupId("io.github.emotion4j")
 *     .optArtifactId("fer2013-vgg-bn")
 *     .optFilter("version", "1.0.0")          // optional; also "labels", "architecture"
 *     .optEngine("PyTorch")
 *     .build();
 * try (ZooModel<Image, Classifications> model = criteria.loadModel();
 *     Predictor<Image, Classifications> predictor = model.newPredictor()) {
 *   Classifications c = predictor.predict(ImageFactory.getInstance().fromFile(Path.of("face.jpg")));
 * }
 * }</pre>
 *
 * <p>Models come from {@link io.github.emotion4j.zoo.ModelZoo} (bundled, local directory, cache,
 * HTTP(S) mirror; same settings), images are preprocessed by the api's {@link
 * io.github.emotion4j.image.ImagePreprocessor} and scores are the api's softmax. Creating the
 * provider is cheap: nothing is listed or loaded until DJL asks.
 *
 * @since 0.1
 */
public final class EmotionZooProvider implements ZooProvider {
  /** Creates the provider; called by DJL's {@code ServiceLoader}. */
  public EmotionZooProvider() {}

  @Override
  public String getName() {
    return "emotion4j";
  }

  @Override
  public ModelZoo getModelZoo() {
    return new EmotionDjlZoo();
  }
}
