package io.github.emotion4j.face;

import java.util.Objects;

/**
 * The five standard face landmarks, in the photo's pixel coordinates (origin top-left). "Left" and
 * "right" are as seen in the image: {@link #leftEye()} is the eye nearer the image's left edge (the
 * person's right eye in a frontal photo).
 *
 * @param leftEye centre of the eye on the image's left
 * @param rightEye centre of the eye on the image's right
 * @param nose tip of the nose
 * @param mouthLeft mouth corner on the image's left
 * @param mouthRight mouth corner on the image's right
 * @since 0.1
 */
public record FaceLandmarks(Point leftEye, Point rightEye, Point nose, Point mouthLeft, Point mouthRight) {

  /** Checks that every point is present. */
  public FaceLandmarks {
    Objects.requireNonNull(leftEye, "leftEye");
    Objects.requireNonNull(rightEye, "rightEye");
    Objects.requireNonNull(nose, "nose");
    Objects.requireNonNull(mouthLeft, "mouthLeft");
    Objects.requireNonNull(mouthRight, "mouthRight");
  }

  /**
   * Returns the angle of the line from the left eye to the right eye.
   *
   * @return radians, positive when the right eye is lower in the image (clockwise tilt)
   */
  public double eyeAngle() {
    return Math.atan2(rightEye.y() - leftEye.y(), rightEye.x() - leftEye.x());
  }

  /**
   * A point in pixel coordinates.
   *
   * @param x column, may be fractional
   * @param y row, may be fractional
   * @since 0.1
   */
  public record Point(double x, double y) {
    /** Checks that the coordinates are finite. */
    public Point {
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        throw new IllegalArgumentException("point must be finite, got (" + x + ", " + y + ")");
      }
    }
  }
}
