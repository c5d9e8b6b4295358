package io.github.emotion4j;

import io.github.emotion4j.model.ModelMetadata;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells which emotion a face shows. Create one with {@link #builder()}, share it across threads, and
 * close it when done:
 *
 * <pre>{@code
 * try (EmotionClassifier classifier = EmotionClassifier.builder()
 *     .backend("native")            // or "pytorch", "onnxruntime", "tensorflow"; default: best available
 *     .device(Device.AUTO)          // CPU, GPU or AUTO
 *     .build()) {                   // the bundled FER2013 model
 *   EmotionScores scores = classifier.classify(Path.of("face.jpg"));
 *   System.out.println(scores.top().label() + " " + scores.top().probability());
 * }
 * }</pre>
 *
 * <p>Images are treated as one face each (centre-cropped to the model's aspect ratio) unless a
 * {@link FaceBox} says where the face is. All methods are safe to call from many threads at once;
 * results do not depend on how calls interleave. This is an interface so that tests can mock it.
 *
 * @since 0.1
 */
public interface EmotionClassifier extends AutoCloseable {

  /**
   * Starts configuring a classifier.
   *
   * @return a new builder with every option at its default
   */
  static EmotionClassifierBuilder builder() {
    return new EmotionClassifierBuilder();
  }

  /**
   * Averages several classifiers: each face's probabilities are the mean of the members'. An
   * ensemble of networks trained apart is usually a little more accurate than its best member, for
   * the members' inference cost together; docs/RESULTS.md gives what it gains. The members may use
   * different backends and devices; {@link #model()} is the first member's.
   *
   * @param members two or more classifiers with the same labels; closed when the ensemble is
   * @return the ensemble
   * @throws IllegalArgumentException if there are fewer than two members or their labels differ
   */
  static EmotionClassifier averaging(List<EmotionClassifier> members) {
    return new io.github.emotion4j.internal.AveragingEmotionClassifier(members);
  }

  /**
   * Classifies an image file (JPEG, PNG, BMP, GIF).
   *
   * @param image the file
   * @return the scores
   * @throws InvalidImageException if the file is missing, empty, too large, truncated or not an image
   */
  EmotionScores classify(Path image);

  /**
   * Classifies an encoded image.
   *
   * @param encodedImage the image file's bytes
   * @return the scores
   * @throws InvalidImageException if the bytes are not a readable image
   */
  EmotionScores classify(byte[] encodedImage);

  /**
   * Classifies an encoded image read from a stream; the stream is read to its end, not closed.
   *
   * @param encodedImage the image file's bytes
   * @return the scores
   * @throws InvalidImageException if the data is not a readable image
   */
  EmotionScores classify(InputStream encodedImage);

  /**
   * Classifies a decoded image.
   *
   * @param image the image, upright
   * @return the scores
   */
  EmotionScores classify(BufferedImage image);

  /**
   * Classifies the face inside a box of a decoded image.
   *
   * @param image the image, upright
   * @param face where the face is; clamped to the image
   * @return the scores
   * @throws InvalidImageException if the box lies outside the image
   */
  EmotionScores classify(BufferedImage image, FaceBox face);

  /**
   * Classifies image files in batches; results are in input order. One unreadable file fails the
   * call with an {@link InvalidImageException} naming it.
   *
   * @param images the files
   * @return one result per file
   */
  List<EmotionScores> classifyFiles(List<Path> images);

  /**
   * Classifies decoded images in batches; results are in input order.
   *
   * @param images the images, upright
   * @return one result per image
   */
  List<EmotionScores> classifyImages(List<BufferedImage> images);

  /**
   * Returns the labels results are given over (the model's, or the view chosen in the builder).
   *
   * @return the label set
   */
  LabelSet labels();

  /**
   * Returns the name of the backend that runs the network, e.g. {@code "native"}.
   *
   * @return the backend's name
   */
  String backend();

  /**
   * Returns the concrete device the network runs on (what {@link Device#AUTO} chose).
   *
   * @return {@link Device#CPU} or {@link Device#GPU}
   */
  Device device();

  /**
   * Returns the model's metadata: name, version, labels, input contract, layers and provenance.
   *
   * @return the metadata
   */
  ModelMetadata model();

  /** Releases the backend's resources. Classify calls after close fail with IllegalStateException. */
  @Override
  void close();
}
