package io.github.emotion4j.internal;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.ModelMetadata;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The classifier {@link io.github.emotion4j.EmotionClassifierBuilder} builds. Thread-safe. */
public final class DefaultEmotionClassifier implements EmotionClassifier {
  private final String backend;
  private final RunnableNetwork network;
  private final ModelMetadata model;
  private final LabelSet view;
  /**
   * How many source pixels, each way, an image keeps per model input pixel when a large one is
   * decoded subsampled: the area filter still averages at least 4 × 4 samples per input pixel.
   */
  static final int OVERSAMPLE = 4;

  private final ImageDecoder decoder;
  private final ImagePreprocessor preprocessor;
  private final int batchSize;
  private final boolean outputsProbabilities;
  private final boolean flipAveraging;
  private volatile boolean closed;

  /**
   * Wraps a loaded network.
   *
   * @param backend the backend's name
   * @param network the loaded network, owned from now on
   * @param model the model's metadata
   * @param view labels to restrict results to, or null for the model's own
   * @param limits image bounds
   * @param batchSize images per backend call in the batch methods
   * @param outputsProbabilities whether the network gives probabilities rather than logits
   * @param flipAveraging whether each face's probabilities are averaged with its mirror image's
   */
  public DefaultEmotionClassifier(String backend, RunnableNetwork network, ModelMetadata model,
      LabelSet view, ImageLimits limits, int batchSize, boolean outputsProbabilities,
      boolean flipAveraging) {
    this.backend = backend;
    this.network = network;
    this.model = model;
    this.view = view;
    this.decoder = new ImageDecoder(limits);
    this.preprocessor = new ImagePreprocessor(model.input());
    this.batchSize = batchSize;
    this.outputsProbabilities = outputsProbabilities;
    this.flipAveraging = flipAveraging;
  }

  @Override
  public EmotionScores classify(Path image) {
    return classifyFiles(List.of(image)).get(0);
  }

  @Override
  public EmotionScores classify(byte[] encodedImage) {
    return classify(decodeForModel(encodedImage, "(bytes)"));
  }

  @Override
  public EmotionScores classify(InputStream encodedImage) {
    return classify(decodeForModel(decoder.readAll(encodedImage, "(stream)"), "(stream)"));
  }

  @Override
  public EmotionScores classify(BufferedImage image) {
    return classify(image, null);
  }

  @Override
  public EmotionScores classify(BufferedImage image, FaceBox face) {
    Objects.requireNonNull(image, "image");
    return run(List.of(image), img -> img, face).get(0);
  }

  @Override
  public List<EmotionScores> classifyFiles(List<Path> images) {
    return run(images, f -> decoder.decodeAtLeast(f, OVERSAMPLE * model.input().width(),
        OVERSAMPLE * model.input().height()), null);
  }

  /** Decodes at no less than OVERSAMPLE times the model's input size, so memory follows the model. */
  private BufferedImage decodeForModel(byte[] encoded, String source) {
    return decoder.decodeAtLeast(encoded, source, OVERSAMPLE * model.input().width(),
        OVERSAMPLE * model.input().height());
  }

  @Override
  public List<EmotionScores> classifyImages(List<BufferedImage> images) {
    return run(images, img -> img, null);
  }

  private <T> List<EmotionScores> run(List<T> inputs, Function<T, BufferedImage> decode, FaceBox box) {
    if (closed) {
      throw new IllegalStateException("This EmotionClassifier is closed");
    }
    int size = model.input().imageSize();
    int copies = flipAveraging ? 2 : 1;
    List<EmotionScores> out = new ArrayList<>(inputs.size());
    for (int from = 0; from < inputs.size(); from += batchSize) {
      int n = Math.min(batchSize, inputs.size() - from);
      float[] data = new float[copies * n * size];
      for (int i = 0; i < n; i++) {
        preprocessor.preprocess(decode.apply(inputs.get(from + i)), box, data, i * size);
        if (flipAveraging) {
          mirror(data, i * size, (n + i) * size);
        }
      }
      float[] logits = network.logits(new InputBatch(data, copies * n, model.input().shape()));
      int expected = copies * n * model.labels().size();
      if (logits == null || logits.length != expected) {
        throw new IllegalStateException("The " + backend + " backend returned "
            + (logits == null ? "no logits" : logits.length + " logits") + " for " + copies * n + " images of "
            + model.labels().size() + " labels; expected " + expected);
      }
      for (int i = 0; i < n; i++) {
        EmotionScores s = scores(logits, i);
        if (flipAveraging) {
          List<Double> a = s.probabilities();
          List<Double> b = scores(logits, n + i).probabilities();
          List<Double> mean = new ArrayList<>(a.size());
          for (int c = 0; c < a.size(); c++) {
            mean.add((a.get(c) + b.get(c)) / 2);
          }
          s = new EmotionScores(model.labels(), mean);
        }
        out.add(view == null ? s : s.restrictTo(view));
      }
    }
    return List.copyOf(out);
  }

  private EmotionScores scores(float[] outputs, int image) {
    int offset = image * model.labels().size();
    if (!outputsProbabilities) {
      return EmotionScores.fromLogits(model.labels(), outputs, offset);
    }
    try {
      return EmotionScores.fromProbabilities(model.labels(), outputs, offset);
    } catch (IllegalArgumentException e) {
      throw new ModelPackageException("Model \"" + model.name() + "\" " + model.version()
          + ": its sidecar says it outputs probabilities, but " + e.getMessage(), e);
    }
  }

  /** Writes the left-right mirror of the preprocessed image at {@code from} to {@code to}. */
  private void mirror(float[] data, int from, int to) {
    int w = model.input().width();
    int rows = model.input().channels() * model.input().height();
    for (int r = 0; r < rows; r++) {
      for (int x = 0; x < w; x++) {
        data[to + r * w + x] = data[from + r * w + w - 1 - x];
      }
    }
  }

  @Override
  public LabelSet labels() {
    return view == null ? model.labels() : view;
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public Device device() {
    return network.device();
  }

  @Override
  public ModelMetadata model() {
    return model;
  }

  /** Closes the network once; later calls do nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    network.close();
  }
}
