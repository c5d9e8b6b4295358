package io.github.emotion4j.image;

import io.github.emotion4j.InvalidImageException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, BMP and GIF (and any format an installed ImageIO plug-in adds, such as WebP)
 * into an upright image: EXIF orientation is applied, the size is checked against {@link
 * ImageLimits} before the pixels are decoded, and a truncated file is an error rather than a
 * half-grey picture. Thread-safe.
 *
 * @since 0.1
 */
public final class ImageDecoder {
  private final ImageLimits limits;

  /**
   * Creates a decoder.
   *
   * @param limits the size bounds
   */
  public ImageDecoder(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Returns the bounds this decoder checks.
   *
   * @return the limits
   */
  public ImageLimits limits() {
    return limits;
  }

  /**
   * Decodes an image file.
   *
   * @param file the file
   * @return the upright image
   * @throws InvalidImageException naming the file if it is missing, empty, too large, truncated or
   *     not an image
   */
  public BufferedImage decode(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      long size = Files.size(file);
      checkSize(size, file.toString());
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InvalidImageException("Image " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidImageException("Image " + file + " could not be read: " + e, e);
    }
    return decode(bytes, file.toString());
  }

  /**
   * Decodes an image from a stream, which is read to its end but not closed.
   *
   * @param in the encoded image
   * @param source a name for error messages
   * @return the upright image
   * @throws InvalidImageException if the data is empty, too large, truncated or not an image
   */
  public BufferedImage decode(InputStream in, String source) {
    try {
      // One byte past the limit, so that checkSize sees an oversized stream; capped below the
      // largest array (and computed without overflow when maxBytes is Long.MAX_VALUE).
      int cap = (int) Math.min(Integer.MAX_VALUE - 9L, limits.maxBytes()) + 1;
      byte[] bytes = in.readNBytes(cap);
      return decode(bytes, source);
    } catch (IOException e) {
      throw new InvalidImageException("Image " + source + " could not be read: " + e, e);
    }
  }

  /**
   * Decodes an encoded image.
   *
   * @param bytes the encoded image
   * @param source a name for error messages
   * @return the upright image
   * @throws InvalidImageException if the data is empty, too large, truncated or not an image
   */
  public BufferedImage decode(byte[] bytes, String source) {
    Objects.requireNonNull(bytes, "bytes");
    checkSize(bytes.length, source);
    BufferedImage image = read(bytes, source);
    return ExifOrientation.apply(image, ExifOrientation.read(bytes));
  }

  private void checkSize(long size, String source) {
    if (size == 0) {
      throw new InvalidImageException("Image " + source + " is empty (0 bytes)");
    }
    if (size > limits.maxBytes()) {
      throw new InvalidImageException(
          "Image " + source + " is " + size + " bytes, more than the limit of " + limits.maxBytes()
              + " (raise it with the builder's imageLimits)");
    }
  }

  private BufferedImage read(byte[] bytes, String source) {
    // A memory-cached stream: ImageIO.createImageInputStream would, with ImageIO's default
    // useCache=true, copy every image into a temporary file first.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidImageException(
            "Image " + source + " is not in a readable image format (JPEG, PNG, BMP, GIF"
                + (ImageIO.getImageReadersBySuffix("webp").hasNext() ? ", WebP" : "") + ")");
      }
      ImageReader reader = readers.next();
      try {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > limits.maxPixels()) {
          throw new InvalidImageException(
              "Image " + source + " is " + reader.getWidth(0) + "x" + reader.getHeight(0) + " = "
                  + pixels + " pixels, more than the limit of " + limits.maxPixels()
                  + " (a guard against decompression bombs; raise it with the builder's imageLimits)");
        }
        BufferedImage image = reader.read(0);
        // A missing or odd colour profile (CMYK JPEGs) is converted approximately, not damage.
        warnings.removeIf(w -> w.contains("ICC") || w.toLowerCase(Locale.ROOT).contains("color profile"));
        if (!warnings.isEmpty()) {
          throw new InvalidImageException(
              "Image " + source + " is damaged or truncated: " + String.join("; ", warnings));
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (InvalidImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidImageException(
          "Image " + source + " is damaged, truncated or not an image: " + e.getMessage(), e);
    }
  }
}
