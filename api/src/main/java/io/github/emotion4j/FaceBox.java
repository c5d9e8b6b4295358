package io.github.emotion4j;

/**
 * A rectangle in an image's pixel coordinates (origin top-left), e.g. where a face is.
 *
 * @param x left column
 * @param y top row
 * @param width columns, at least 1
 * @param height rows, at least 1
 * @since 0.1
 */
public record FaceBox(int x, int y, int width, int height) {
  /** Validates the size. */
  public FaceBox {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("face box must be at least 1x1, got " + width + "x" + height);
    }
  }

  /**
   * Returns this box grown by a fraction of its size on every side.
   *
   * @param fraction e.g. 0.1 adds 10% of the width left and right and 10% of the height above and
   *     below
   * @return the larger box (it may extend past the image; cropping clamps it)
   */
  public FaceBox expand(double fraction) {
    int dx = (int) Math.round(width * fraction);
    int dy = (int) Math.round(height * fraction);
    return new FaceBox(x - dx, y - dy, width + 2 * dx, height + 2 * dy);
  }

  /**
   * Returns the part of this box that lies inside an image, so that no coordinate is negative or
   * past the image's edge; a box wholly outside shrinks to the nearest 1x1 pixel inside.
   *
   * @param imageWidth the image's width, at least 1
   * @param imageHeight the image's height, at least 1
   * @return the clipped box
   */
  public FaceBox clip(int imageWidth, int imageHeight) {
    if (imageWidth < 1 || imageHeight < 1) {
      throw new IllegalArgumentException("image must be at least 1x1, got " + imageWidth + "x" + imageHeight);
    }
    int x0 = Math.min(Math.max(0, x), imageWidth - 1);
    int y0 = Math.min(Math.max(0, y), imageHeight - 1);
    int x1 = Math.max(x0 + 1, Math.min(imageWidth, x + width));
    int y1 = Math.max(y0 + 1, Math.min(imageHeight, y + height));
    return new FaceBox(x0, y0, x1 - x0, y1 - y0);
  }

  /**
   * Returns the box's area.
   *
   * @return width × height
   */
  public long area() {
    return (long) width * height;
  }

  /**
   * Returns the intersection over union with another box.
   *
   * @param other the other box
   * @return overlap area divided by union area, in [0, 1]
   */
  public double iou(FaceBox other) {
    long ix = Math.max(0, Math.min(x + width, other.x + other.width) - Math.max(x, other.x));
    long iy = Math.max(0, Math.min(y + height, other.y + other.height) - Math.max(y, other.y));
    long inter = ix * iy;
    return inter / (double) (area() + other.area() - inter);
  }
}
