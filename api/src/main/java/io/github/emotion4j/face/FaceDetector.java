package io.github.emotion4j.face;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds faces in a photo. Hosts get one with {@link #load()} or {@link #load(String)} and usually
 * hand it to a {@link FaceEmotionAnalyzer}:
 *
 * <pre>{@code
 * try (FaceDetector detector = FaceDetector.load("yunet")) {
 *   for (DetectedFace face : detector.detect(photo)) {
 *     System.out.println(face.box() + " " + face.confidence());
 *   }
 * }
 * }</pre>
 *
 * <p><b>For detector authors</b>: an implementation is named in {@code
 * META-INF/services/io.github.emotion4j.face.FaceDetector} and found with {@link
 * java.util.ServiceLoader}, which calls its public no-argument constructor once per {@code load}
 * call. That constructor must be cheap and load no native code: {@link #name()} and {@link #rank()}
 * are read from every detector found; only the one chosen is asked to {@link #detect} and may start
 * its engine then (once, lazily). Implementations are safe for concurrent {@code detect} calls.
 * Engine errors are wrapped in a {@link FaceDetectionException}, never thrown as they are.
 *
 * @since 0.1
 */
public interface FaceDetector extends AutoCloseable {

  /**
   * Returns the best-ranked detector on the class path (the lowest {@link #rank()}).
   *
   * @return a new detector, owned by the caller, who closes it
   * @throws FaceDetectorUnavailableException if none is on the class path; the message names the
   *     artifact to add
   */
  static FaceDetector load() {
    return FaceDetectors.discover().choose(null);
  }

  /**
   * Returns the detector of a name, matched case-insensitively.
   *
   * @param name e.g. {@code "yunet"}
   * @return a new detector, owned by the caller, who closes it
   * @throws FaceDetectorUnavailableException if no detector has that name; the message lists those
   *     that exist, those that failed to load and why, and the artifact to add
   */
  static FaceDetector load(String name) {
    java.util.Objects.requireNonNull(name, "name");
    return FaceDetectors.discover().choose(name);
  }

  /**
   * Returns the detector's name, lower-case, e.g. {@code "yunet"}; called on every detector found.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the rank {@link #load()} chooses by: the lowest wins. Called on every detector found.
   *
   * @return the rank; 100 unless overridden
   */
  default int rank() {
    return 100;
  }

  /**
   * Finds every face in a photo. Called by hosts and by {@link FaceEmotionAnalyzer}, any number of
   * times, from any thread.
   *
   * @param photo the photo, upright
   * @return every face found, in no particular order; empty if there is none
   * @throws FaceDetectionException if the detector's engine fails
   * @throws IllegalStateException if the detector is closed
   */
  List<DetectedFace> detect(BufferedImage photo);

  /** Releases the engine, if it was started. Calling it again does nothing. */
  @Override
  void close();
}
