package io.github.emotion4j.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Builds encoded test images by hand: JPEGs with an Exif orientation, crafted PNG headers. */
final class Images {
  private Images() {}

  /** A grayscale image whose samples are set directly (no colour conversion). */
  static BufferedImage gray(int w, int h, java.util.function.IntBinaryOperator value) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
      }
    }
    return img;
  }

  /** Encodes an image as a JPEG at the highest quality. */
  static byte[] jpeg(BufferedImage img) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(1.0f);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Encodes an image in a lossless ImageIO format ("png", "bmp", "gif"). */
  static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, bytes)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Returns an Exif APP1 segment (marker included) whose IFD0 holds only the orientation tag.
   *
   * @param orientation the tag's value
   * @param littleEndian "II" byte order if true, else "MM"
   */
  static byte[] exifApp1(int orientation, boolean littleEndian) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4)
        .order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M'));
    tiff.putShort((short) 42).putInt(8); // TIFF magic, offset of IFD0
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // Orientation, SHORT, count 1
    tiff.putShort((short) orientation).putShort((short) 0); // value, left-justified
    tiff.putInt(0); // no next IFD
    byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + exifHeader.length + tiff.capacity();
    ByteBuffer seg = ByteBuffer.allocate(2 + length).order(ByteOrder.BIG_ENDIAN);
    seg.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exifHeader).put(tiff.array());
    return seg.array();
  }

  /**
   * Splices a segment into a JPEG: right after SOI, or after the JFIF APP0 segment if there is one
   * and {@code afterApp0} is set.
   */
  static byte[] splice(byte[] jpeg, byte[] segment, boolean afterApp0) {
    int at = 2;
    if (afterApp0 && (jpeg[2] & 0xff) == 0xFF && (jpeg[3] & 0xff) == 0xE0) {
      at = 4 + (((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff));
    }
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, at);
    System.arraycopy(segment, 0, out, at, segment.length);
    System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
    return out;
  }

  /** A PNG holding only a signature and an IHDR that declares the given size, then IEND. */
  static byte[] pngHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12).order(ByteOrder.BIG_ENDIAN);
    b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(b, "IEND", new byte[0]);
    return b.array();
  }

  private static void chunk(ByteBuffer b, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    b.putInt(data.length).put(t).put(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    b.putInt((int) crc.getValue());
  }
}
