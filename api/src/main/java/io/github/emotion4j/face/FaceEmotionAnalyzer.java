package io.github.emotion4j.face;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Finds every face in a photo and tells which emotion each shows:
 *
 * <pre>{@code
 * try (EmotionClassifier classifier = EmotionClassifier.builder().build();
 *     FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier).build()) {
 *   for (FaceResult face : analyzer.analyze(Path.of("party.jpg"))) {
 *     System.out.println(face.box() + " " + face.scores().top().label());
 *   }
 * }
 * }</pre>
 *
 * <p>Each face the detector finds that is at least {@link Builder#minFaceSize(int) minFaceSize}
 * pixels on its shorter side is cut out as a square around the box's centre, its side the box's
 * longer side plus a {@link Builder#margin(double) margin} on every side, optionally rotated so that
 * the eyes are level ({@link Builder#align(boolean) align}), and all faces of a photo are classified
 * in one batch. A photo with no face gives an empty list.
 *
 * <p>Thread-safe when its detector and classifier are (the library's are). It does not close the
 * classifier, nor a detector passed to {@link Builder#detector(FaceDetector)}; {@link #close()}
 * closes only a detector it loaded itself.
 *
 * @since 0.1
 */
public final class FaceEmotionAnalyzer implements AutoCloseable {
  /** The default {@link Builder#minFaceSize(int)}: 20 pixels. */
  public static final int DEFAULT_MIN_FACE_SIZE = 20;
  /** The default {@link Builder#margin(double)}: 0.1 of the face's size on every side. */
  public static final double DEFAULT_MARGIN = 0.1;

  private final EmotionClassifier classifier;
  private final FaceDetector detector;
  private final boolean ownsDetector;
  private final int minFaceSize;
  private final double margin;
  private final boolean align;
  private final ImageDecoder decoder;

  private FaceEmotionAnalyzer(Builder b, FaceDetector detector, boolean ownsDetector) {
    this.classifier = b.classifier;
    this.detector = detector;
    this.ownsDetector = ownsDetector;
    this.minFaceSize = b.minFaceSize;
    this.margin = b.margin;
    this.align = b.align;
    this.decoder = new ImageDecoder(b.limits);
  }

  /**
   * Starts configuring an analyzer.
   *
   * @param classifier classifies each face; not closed by the analyzer
   * @return a builder with every other option at its default
   */
  public static Builder builder(EmotionClassifier classifier) {
    return new Builder(classifier);
  }

  /**
   * Finds and classifies every face in a photo.
   *
   * @param photo the photo, upright
   * @return one result per face, largest box first (ties: top-most, then left-most); empty if there
   *     is no face
   * @throws FaceDetectionException if the detector's engine fails
   */
  public List<FaceResult> analyze(BufferedImage photo) {
    Objects.requireNonNull(photo, "photo");
    List<DetectedFace> faces = new ArrayList<>();
    for (DetectedFace face : detector.detect(photo)) {
      if (Math.min(face.box().width(), face.box().height()) >= minFaceSize) {
        faces.add(face);
      }
    }
    if (faces.isEmpty()) {
      return List.of();
    }
    faces.sort(Comparator.comparingLong((DetectedFace f) -> -f.box().area())
        .thenComparingInt(f -> f.box().y()).thenComparingInt(f -> f.box().x()));
    List<BufferedImage> crops = new ArrayList<>(faces.size());
    for (DetectedFace face : faces) {
      crops.add(crop(photo, face, margin, align));
    }
    List<EmotionScores> scores = classifier.classifyImages(crops);
    List<FaceResult> out = new ArrayList<>(faces.size());
    for (int i = 0; i < faces.size(); i++) {
      DetectedFace f = faces.get(i);
      // Any detector's box is reported inside the photo (the crop was clamped to it already).
      out.add(new FaceResult(f.box().clip(photo.getWidth(), photo.getHeight()), f.confidence(), scores.get(i),
          f.landmarks()));
    }
    return List.copyOf(out);
  }

  /**
   * Decodes a photo file (EXIF orientation applied) and analyzes it like {@link
   * #analyze(BufferedImage)}.
   *
   * @param photo the file (JPEG, PNG, BMP, GIF)
   * @return one result per face, largest first; empty if there is none
   * @throws InvalidImageException if the file is missing, too large, truncated or not an image
   */
  public List<FaceResult> analyze(Path photo) {
    return analyze(decoder.decode(photo));
  }

  /**
   * Returns the image region the analyzer classifies for a face: a square around the box's centre,
   * its side the box's longer side grown by {@code margin} on every side, moved (or, when the photo
   * is too small, shrunk) to lie inside the photo; with {@code align} and landmarks, rotated about
   * the box's centre so that the eyes are level.
   *
   * @param photo the photo
   * @param face the detected face
   * @param margin the fraction of the face's size added on every side, at least 0
   * @param align whether to level the eyes when the face has landmarks
   * @return the face image (a view of the photo's pixels when not rotated)
   */
  public static BufferedImage crop(BufferedImage photo, DetectedFace face, double margin, boolean align) {
    FaceBox b = face.box();
    double cx = b.x() + b.width() / 2.0;
    double cy = b.y() + b.height() / 2.0;
    int side = (int) Math.round(Math.max(b.width(), b.height()) * (1 + 2 * margin));
    side = Math.max(1, side);
    if (align && face.landmarks().isPresent()) {
      double angle = face.landmarks().get().eyeAngle();
      BufferedImage out = new BufferedImage(side, side,
          photo.getColorModel().getNumColorComponents() == 1 ? BufferedImage.TYPE_BYTE_GRAY
              : BufferedImage.TYPE_INT_RGB);
      AffineTransform t = new AffineTransform();
      t.translate(side / 2.0, side / 2.0);
      t.rotate(-angle);
      t.translate(-cx, -cy);
      Graphics2D g = out.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, t, null);
      } finally {
        g.dispose();
      }
      return out;
    }
    int w = Math.min(side, photo.getWidth());
    int h = Math.min(side, photo.getHeight());
    int s = Math.min(w, h);
    int x = clamp((int) Math.round(cx - s / 2.0), 0, photo.getWidth() - s);
    int y = clamp((int) Math.round(cy - s / 2.0), 0, photo.getHeight() - s);
    return photo.getSubimage(x, y, s, s);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /**
   * Returns the detector in use.
   *
   * @return the detector
   */
  public FaceDetector detector() {
    return detector;
  }

  /**
   * Returns the classifier in use.
   *
   * @return the classifier
   */
  public EmotionClassifier classifier() {
    return classifier;
  }

  /**
   * Returns the smallest face size kept, in pixels on the box's shorter side.
   *
   * @return the minimum face size
   */
  public int minFaceSize() {
    return minFaceSize;
  }

  /**
   * Returns the margin added around each face before classification.
   *
   * @return the fraction of the face's size added on every side
   */
  public double margin() {
    return margin;
  }

  /**
   * Returns whether faces with landmarks are rotated to level the eyes.
   *
   * @return true if alignment is on
   */
  public boolean align() {
    return align;
  }

  /** Closes the detector if the analyzer loaded it itself; never the classifier. */
  @Override
  public void close() {
    if (ownsDetector) {
      detector.close();
    }
  }

  /**
   * Configures a {@link FaceEmotionAnalyzer}. Not thread-safe; {@link #build()} may be called more
   * than once.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final EmotionClassifier classifier;
    private FaceDetector detector;
    private int minFaceSize = DEFAULT_MIN_FACE_SIZE;
    private double margin = DEFAULT_MARGIN;
    private boolean align;
    private ImageLimits limits = ImageLimits.DEFAULT;

    private Builder(EmotionClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /**
     * Sets the detector; the caller keeps it and closes it. Default: {@link FaceDetector#load()}
     * at {@link #build()}, owned and closed by the analyzer.
     *
     * @param detector the detector
     * @return this builder
     */
    public Builder detector(FaceDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /**
     * Sets the smallest face kept, in pixels on the box's shorter side. Default {@value
     * #DEFAULT_MIN_FACE_SIZE}.
     *
     * @param pixels at least 1
     * @return this builder
     */
    public Builder minFaceSize(int pixels) {
      if (pixels < 1) {
        throw new IllegalArgumentException("minFaceSize must be at least 1 pixel, got " + pixels);
      }
      this.minFaceSize = pixels;
      return this;
    }

    /**
     * Sets the margin added on every side of a face before classification, as a fraction of the
     * face's longer side. Default {@value #DEFAULT_MARGIN}.
     *
     * @param fraction in [0, 1]
     * @return this builder
     */
    public Builder margin(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("margin must be in [0, 1], got " + fraction);
      }
      this.margin = fraction;
      return this;
    }

    /**
     * Sets whether faces are rotated so that the eyes are level before classification, when the
     * detector gives landmarks (faces without landmarks are classified as they are). Default off.
     *
     * @param align true to level the eyes
     * @return this builder
     */
    public Builder align(boolean align) {
      this.align = align;
      return this;
    }

    /**
     * Sets the bounds checked when {@link FaceEmotionAnalyzer#analyze(Path)} decodes a file.
     * Default {@link ImageLimits#DEFAULT}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder imageLimits(ImageLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Builds the analyzer, loading the best-ranked detector if none was set.
     *
     * @return the analyzer
     * @throws FaceDetectorUnavailableException if no detector was set and none is on the class path
     */
    public FaceEmotionAnalyzer build() {
      if (detector != null) {
        return new FaceEmotionAnalyzer(this, detector, false);
      }
      return new FaceEmotionAnalyzer(this, FaceDetector.load(), true);
    }
  }
}
