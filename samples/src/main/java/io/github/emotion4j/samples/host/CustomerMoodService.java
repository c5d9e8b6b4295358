package io.github.emotion4j.samples.host;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.InvalidImageException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A host application's service: rates customer satisfaction from photos taken at a feedback kiosk.
 * It receives its {@link EmotionClassifier} by constructor injection and depends only on that
 * interface, so a unit test hands it a mock and needs no engine, model or image (see {@code
 * CustomerMoodServiceTest}).
 *
 * <p>Thread-safe when the classifier is (emotion4j's are). It does not own the classifier: whoever
 * built it closes it.
 */
public final class CustomerMoodService {
  /** Emotions that count as satisfied. */
  public static final Set<String> POSITIVE = Set.of("happy", "surprise");
  /** Emotions that count as dissatisfied. */
  public static final Set<String> NEGATIVE = Set.of("angry", "disgust", "fear", "sad");

  private final EmotionClassifier classifier;
  private final double minConfidence;

  /**
   * Creates the service.
   *
   * @param classifier the classifier, on any backend
   * @param minConfidence below this top probability a reading is "unsure", in [0, 1]
   */
  public CustomerMoodService(EmotionClassifier classifier, double minConfidence) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    if (!(minConfidence >= 0 && minConfidence <= 1)) {
      throw new IllegalArgumentException("minConfidence must be in [0, 1], got " + minConfidence);
    }
    this.minConfidence = minConfidence;
  }

  /**
   * One photo's reading.
   *
   * @param emotion the likeliest emotion, or {@code "unsure"} below the confidence threshold
   * @param confidence the likeliest emotion's probability
   * @param satisfaction P(positive) − P(negative), in [-1, 1]
   */
  public record Reading(String emotion, double confidence, double satisfaction) {}

  /**
   * Reads one photo.
   *
   * @param photo the encoded image (JPEG, PNG…)
   * @return the reading
   * @throws InvalidImageException if the photo cannot be decoded
   */
  public Reading read(byte[] photo) {
    EmotionScores s = classifier.classify(photo);
    double satisfaction = 0;
    for (int i = 0; i < s.labels().size(); i++) {
      String label = s.labels().get(i);
      double p = s.probabilities().get(i);
      satisfaction += POSITIVE.contains(label) ? p : NEGATIVE.contains(label) ? -p : 0;
    }
    double confidence = s.top().probability();
    return new Reading(confidence >= minConfidence ? s.top().label() : "unsure", confidence, satisfaction);
  }

  /**
   * Averages the satisfaction over photos, skipping the ones that cannot be decoded.
   *
   * @param photos encoded images
   * @return the mean satisfaction of the readable photos
   * @throws IllegalArgumentException if no photo could be read
   */
  public double averageSatisfaction(List<byte[]> photos) {
    double sum = 0;
    int read = 0;
    for (byte[] photo : photos) {
      try {
        sum += read(photo).satisfaction();
        read++;
      } catch (InvalidImageException e) {
        // an unreadable photo is no rating: leave it out
      }
    }
    if (read == 0) {
      throw new IllegalArgumentException("none of the " + photos.size() + " photos could be read");
    }
    return sum / read;
  }
}
