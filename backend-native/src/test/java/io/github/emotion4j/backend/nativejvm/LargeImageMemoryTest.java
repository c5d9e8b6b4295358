package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.ImageMemoryException;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images of 6300 × 6300 pixels (39.7 MP, under the default 40 MP limit) in a child JVM with
 * {@code -Xmx128m}: the classifier's entry points (path, bytes, stream, batch) classify them
 * (decoding subsampled to the model's size), and a full-resolution decode that cannot fit is an
 * {@link ImageMemoryException}, never an {@link OutOfMemoryError} nor "damaged".
 */
class LargeImageMemoryTest {
  private static final int SIDE = 6300;

  /**
   * The child JVM's work.
   *
   * @param args the image files
   * @throws IOException if a file cannot be read
   */
  public static void main(String[] args) throws IOException {
    try (EmotionClassifier c = EmotionClassifier.builder().backend("native").build()) {
      for (String a : args) {
        Path file = Path.of(a);
        String top = c.classify(file).top().label();
        assertEquals(top, c.classify(Files.readAllBytes(file)).top().label(), a);
        try (var in = Files.newInputStream(file)) {
          assertEquals(top, c.classify(in).top().label(), a);
        }
        assertEquals(2, c.classifyFiles(List.of(file, file)).size(), a);
        System.out.println("classified " + file.getFileName() + ": " + top);
        try {
          BufferedImage full = new ImageDecoder(ImageLimits.DEFAULT).decode(file);
          System.out.println("decoded whole " + file.getFileName() + ": " + full.getWidth());
        } catch (ImageMemoryException e) {
          System.out.println("memory " + file.getFileName() + ": " + e.getMessage());
        }
      }
    }
  }

  /** Writes a PNG row by row (constant memory): colour type 2 (RGB) or 6 (RGBA), 8 or 16 bits. */
  static void writePng(Path file, int side, int colourType, int bitDepth) throws IOException {
    int channels = colourType == 6 ? 4 : 3;
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      java.io.ByteArrayOutputStream ihdr = new java.io.ByteArrayOutputStream();
      DataOutputStream h = new DataOutputStream(ihdr);
      h.writeInt(side);
      h.writeInt(side);
      h.write(new byte[] {(byte) bitDepth, (byte) colourType, 0, 0, 0});
      chunk(out, "IHDR", ihdr.toByteArray());
      java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
      Deflater deflater = new Deflater(Deflater.BEST_SPEED);
      try (OutputStream z = new DeflaterOutputStream(idat, deflater)) {
        int bytesPerSample = bitDepth / 8;
        byte[] row = new byte[1 + side * channels * bytesPerSample];
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            for (int c = 0; c < channels; c++) {
              int v = c == 3 ? 255 : (x * (c + 1) / 25 + y / 25) & 0xff;
              int at = 1 + (x * channels + c) * bytesPerSample;
              for (int b = 0; b < bytesPerSample; b++) {
                row[at + b] = (byte) v;
              }
            }
          }
          z.write(row);
        }
      } finally {
        deflater.end();
      }
      chunk(out, "IDAT", idat.toByteArray());
      chunk(out, "IEND", new byte[0]);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeInt(data.length);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }

  @Test
  void hugeImagesClassifyUnder128MegabytesOfHeap(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("rgb.png");
    Path png16 = dir.resolve("rgba16.png");
    Path jpeg = dir.resolve("rgb.jpg");
    writePng(png, SIDE, 2, 8);
    writePng(png16, SIDE, 6, 16);
    BufferedImage big = ImageIO.read(png.toFile());
    assertTrue(ImageIO.write(big, "jpeg", jpeg.toFile()));
    big = null;

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "--add-modules=jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", LargeImageMemoryTest.class.getName(),
        png.toString(), png16.toString(), jpeg.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the child JVM did not end");
    assertEquals(0, p.exitValue(), out);
    assertTrue(!out.contains("OutOfMemoryError") && !out.contains("is damaged"), out);
    for (Path f : List.of(png, png16, jpeg)) {
      assertTrue(out.contains("classified " + f.getFileName() + ": "), out);
    }
    // 6300 x 6300 x 8 bytes = 303 MiB: the whole 16-bit image cannot fit in 128 MiB, and says why.
    assertTrue(out.contains("memory rgba16.png: Image " + png16 + " (6300x6300, 8 bytes a pixel) needs 302 MiB"),
        out);
    assertTrue(out.contains("it is not damaged"), out);
  }
}
