package io.github.emotion4j.image;

import io.github.emotion4j.ImageMemoryException;
import io.github.emotion4j.InvalidImageException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
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
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, BMP and GIF (and any format an installed ImageIO plug-in adds, such as WebP)
 * into an upright image: EXIF orientation is applied, the size is checked against {@link
 * ImageLimits} before the pixels are decoded, and a truncated file is an error rather than a
 * half-grey picture. A full-resolution image that does not fit in the heap is an {@link
 * ImageMemoryException}, never an {@link OutOfMemoryError}; {@link #decodeAtLeast} decodes a large
 * image subsampled, to what the caller needs and within {@link ImageLimits#maxDecodedBytes()}.
 * Thread-safe.
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
    return decode(read(file), file.toString());
  }

  /**
   * Decodes an image file subsampled: with every k-th pixel each way, k the largest factor that
   * keeps the image at least {@code minWidth × minHeight}, raised further if the raster would
   * exceed {@link ImageLimits#maxDecodedBytes()}. An image at most twice the asked size each way
   * is decoded whole.
   *
   * @param file the file
   * @param minWidth the width needed, at least 1
   * @param minHeight the height needed, at least 1
   * @return the upright image
   * @throws InvalidImageException naming the file if it is missing, empty, too large, truncated or
   *     not an image ({@link ImageMemoryException} if even subsampled it does not fit the heap)
   */
  public BufferedImage decodeAtLeast(Path file, int minWidth, int minHeight) {
    return decodeAtLeast(read(file), file.toString(), minWidth, minHeight);
  }

  /**
   * Decodes an encoded image subsampled, as {@link #decodeAtLeast(Path, int, int)} does.
   *
   * @param bytes the encoded image
   * @param source a name for error messages
   * @param minWidth the width needed, at least 1
   * @param minHeight the height needed, at least 1
   * @return the upright image
   * @throws InvalidImageException if the data is empty, too large, truncated or not an image
   */
  public BufferedImage decodeAtLeast(byte[] bytes, String source, int minWidth, int minHeight) {
    Objects.requireNonNull(bytes, "bytes");
    if (minWidth < 1 || minHeight < 1) {
      throw new IllegalArgumentException("minimum size must be positive: " + minWidth + "x" + minHeight);
    }
    checkSize(bytes.length, source);
    return ExifOrientation.apply(read(bytes, source, minWidth, minHeight), ExifOrientation.read(bytes));
  }

  /**
   * Reads an image stream to its end (not closing it), for {@link #decodeAtLeast(byte[], String,
   * int, int)}.
   *
   * @param in the encoded image
   * @param source a name for error messages
   * @return the encoded bytes, at most one byte past {@link ImageLimits#maxBytes()}
   * @throws InvalidImageException if the stream fails
   */
  public byte[] readAll(InputStream in, String source) {
    try {
      // One byte past the limit, so that checkSize sees an oversized stream; capped below the
      // largest array (and computed without overflow when maxBytes is Long.MAX_VALUE).
      int cap = (int) Math.min(Integer.MAX_VALUE - 9L, limits.maxBytes()) + 1;
      return in.readNBytes(cap);
    } catch (IOException e) {
      throw new InvalidImageException("Image " + source + " could not be read: " + e, e);
    }
  }

  private byte[] read(Path file) {
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
    return bytes;
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
    return decode(readAll(in, source), source);
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
    BufferedImage image = read(bytes, source, 0, 0);
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

  /** Reads the image, whole when minWidth is 0, else subsampled as decodeAtLeast says. */
  private BufferedImage read(byte[] bytes, String source, int minWidth, int minHeight) {
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
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        long pixels = (long) w * h;
        if (pixels > limits.maxPixels()) {
          throw new InvalidImageException(
              "Image " + source + " is " + w + "x" + h + " = "
                  + pixels + " pixels, more than the limit of " + limits.maxPixels()
                  + " (a guard against decompression bombs; raise it with the builder's imageLimits)");
        }
        int bytesPerPixel = bytesPerPixel(reader);
        ImageReadParam param = reader.getDefaultReadParam();
        if (minWidth > 0) {
          int k = Math.max(1, Math.min(w / minWidth, h / minHeight));
          while (k < Math.max(w, h) && decodedBytes(w, h, k, bytesPerPixel) > limits.maxDecodedBytes()) {
            k++;
          }
          if (k > 1) {
            param.setSourceSubsampling(k, k, 0, 0);
          }
        }
        BufferedImage image;
        try {
          image = reader.read(0, param);
        } catch (OutOfMemoryError e) {
          throw outOfMemory(source, w, h, bytesPerPixel, param, e);
        } catch (IOException | RuntimeException e) {
          // The PNG reader wraps every Throwable, OutOfMemoryError included, in an IIOException.
          for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
              throw outOfMemory(source, w, h, bytesPerPixel, param, oom);
            }
          }
          throw e;
        }
        // A missing or odd colour profile (CMYK JPEGs) is converted approximately, not damage.
        warnings.removeIf(m -> m.contains("ICC") || m.toLowerCase(Locale.ROOT).contains("color profile"));
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
    } catch (OutOfMemoryError e) { // outside the pixels: the header, a palette, the reader itself
      throw new ImageMemoryException("Image " + source + " could not be decoded in the memory left to this JVM"
          + " (max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new InvalidImageException(
          "Image " + source + " is damaged, truncated or not an image: " + e.getMessage(), e);
    }
  }

  /** Bytes per pixel of the reader's default destination (4 when it cannot say). */
  private static int bytesPerPixel(ImageReader reader) {
    try {
      Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
      if (types != null && types.hasNext()) {
        SampleModel sm = types.next().getSampleModel(1, 1);
        return Math.max(1, DataBuffer.getDataTypeSize(sm.getDataType()) / 8 * sm.getNumDataElements());
      }
    } catch (IOException | RuntimeException e) {
      // fall through: an estimate only
    }
    return 4;
  }

  private static long decodedBytes(int w, int h, int k, int bytesPerPixel) {
    return (long) ((w + k - 1) / k) * ((h + k - 1) / k) * bytesPerPixel;
  }

  private static ImageMemoryException outOfMemory(String source, int w, int h, int bytesPerPixel,
      ImageReadParam param, OutOfMemoryError e) {
    int k = Math.max(1, param.getSourceXSubsampling());
    return new ImageMemoryException("Image " + source + " (" + w + "x" + h + ", " + bytesPerPixel
        + " bytes a pixel" + (k > 1 ? ", read at 1/" + k : "") + ") needs "
        + (decodedBytes(w, h, k, bytesPerPixel) >> 20) + " MiB decoded, more than this JVM had free (max heap "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); it is not damaged: give the JVM more memory (-Xmx)"
        + (k > 1 ? " or lower the builder's imageLimits maxDecodedBytes" : " or classify it through"
            + " EmotionClassifier, which decodes it at the model's size"), e);
  }
}
