package io.github.emotion4j.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/** Reads the EXIF orientation tag of a JPEG and turns the image upright. */
final class ExifOrientation {
  private ExifOrientation() {}

  /**
   * Finds the orientation (1 to 8) in a JPEG's APP1 Exif segment.
   *
   * @return the tag's value, or 1 (upright) when there is none or the data is malformed
   */
  static int read(byte[] b) {
    try {
      if (b.length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
        return 1;
      }
      int p = 2;
      while (p + 4 <= b.length && (b[p] & 0xff) == 0xFF) {
        int marker = b[p + 1] & 0xff;
        int len = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
        if (marker == 0xDA || marker == 0xD9) {
          return 1; // image data starts: no Exif before it
        }
        if (marker == 0xE1 && len >= 8 && p + 4 + 6 <= b.length
            && b[p + 4] == 'E' && b[p + 5] == 'x' && b[p + 6] == 'i' && b[p + 7] == 'f') {
          return fromTiff(b, p + 10, Math.min(b.length, p + 2 + len));
        }
        p += 2 + len;
      }
    } catch (RuntimeException malformed) {
      return 1;
    }
    return 1;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    boolean little = b[tiff] == 'I';
    int ifd = tiff + u32(b, tiff + 4, little);
    int entries = u16(b, ifd, little);
    for (int i = 0; i < entries; i++) {
      int e = ifd + 2 + 12 * i;
      if (e + 12 > end) {
        break;
      }
      if (u16(b, e, little) == 0x0112) {
        int value = u16(b, e + 8, little);
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int i, boolean little) {
    int a = b[i] & 0xff;
    int c = b[i + 1] & 0xff;
    return little ? a | (c << 8) : (a << 8) | c;
  }

  private static int u32(byte[] b, int i, boolean little) {
    return little
        ? u16(b, i, true) | (u16(b, i + 2, true) << 16)
        : (u16(b, i, false) << 16) | u16(b, i + 2, false);
  }

  /**
   * Applies an orientation so the image reads upright (source pixel to displayed pixel). Pixels are
   * moved as raw raster elements in the image's own colour model, so gray samples are not passed
   * through {@code getRGB}'s linear-gray-to-sRGB conversion (which would brighten them).
   */
  static BufferedImage apply(BufferedImage img, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return img;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    boolean swap = orientation >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    ColorModel cm = img.getColorModel();
    Raster src = img.getRaster();
    WritableRaster dst = cm.createCompatibleWritableRaster(ow, oh);
    Object pixel = null;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int dx;
        int dy;
        switch (orientation) {
          case 2: dx = w - 1 - x; dy = y; break;
          case 3: dx = w - 1 - x; dy = h - 1 - y; break;
          case 4: dx = x; dy = h - 1 - y; break;
          case 5: dx = y; dy = x; break;
          case 6: dx = h - 1 - y; dy = x; break;
          case 7: dx = h - 1 - y; dy = w - 1 - x; break;
          default: dx = y; dy = w - 1 - x; break;
        }
        pixel = src.getDataElements(src.getMinX() + x, src.getMinY() + y, pixel);
        dst.setDataElements(dx, dy, pixel);
      }
    }
    return new BufferedImage(cm, dst, cm.isAlphaPremultiplied(), null);
  }
}
