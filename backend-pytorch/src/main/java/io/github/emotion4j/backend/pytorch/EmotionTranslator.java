package io.github.emotion4j.backend.pytorch;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.ModelPackage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * DJL's {@code Image → Classifications} for an emotion4j package, with the api's own preprocessing
 * (centre crop, resize, normalisation: identical on every backend) and softmax. Thread-safe.
 */
final class EmotionTranslator implements Translator<Image, Classifications> {
  private final ImagePreprocessor preprocessor;
  private final ModelPackage pkg;

  EmotionTranslator(ModelPackage pkg) {
    this.pkg = pkg;
    this.preprocessor = new ImagePreprocessor(pkg.input());
  }

  @Override
  public NDList processInput(TranslatorContext ctx, Image input) throws IOException {
    FeatureShape s = pkg.input().shape();
    float[] x = preprocessor.preprocess(toBufferedImage(input));
    return new NDList(ctx.getNDManager().create(x, new Shape(s.channels(), s.height(), s.width())));
  }

  @Override
  public Classifications processOutput(TranslatorContext ctx, NDList list) {
    float[] logits = list.singletonOrThrow().toFloatArray();
    EmotionScores scores = EmotionScores.fromLogits(pkg.labels(), logits, 0);
    return new Classifications(pkg.labels().labels(), scores.probabilities());
  }

  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  /** DJL's default image factory on the JVM wraps a BufferedImage; others go through PNG. */
  private static BufferedImage toBufferedImage(Image image) throws IOException {
    if (image.getWrappedImage() instanceof BufferedImage b) {
      return b;
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    image.save(png, "png");
    BufferedImage b = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
    if (b == null) {
      throw new IOException("Could not convert a " + image.getClass().getName() + " to an image");
    }
    return b;
  }
}
