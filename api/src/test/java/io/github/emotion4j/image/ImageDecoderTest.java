package io.github.emotion4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding real files, and refusing each kind of bad input with a message that names it. */
class ImageDecoderTest {
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  @TempDir Path dir;

  private static Path ferImage() {
    return TestData.fer2013Sample("test", 1).get(0);
  }

  private static Path bigGrayImage() {
    return TestData.otherFaces().resolve("Alessandra_Cerna_0001.jpg");
  }

  private InvalidImageException refused(Path file) {
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(file));
    assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
    return e;
  }

  @Test
  void decodesFer2013AndOtherSourceImages() {
    BufferedImage fer = decoder.decode(ferImage());
    assertEquals(48, fer.getWidth());
    assertEquals(48, fer.getHeight());
    BufferedImage big = decoder.decode(bigGrayImage());
    assertEquals(350, big.getWidth());
    assertEquals(350, big.getHeight());
  }

  @Test
  void decodesPngBmpAndGifAsWell() throws IOException {
    BufferedImage src = decoder.decode(ferImage());
    for (String format : new String[] {"png", "bmp", "gif"}) {
      BufferedImage back = decoder.decode(Images.encode(src, format), "face." + format);
      assertEquals(48, back.getWidth(), format);
      assertEquals(48, back.getHeight(), format);
    }
    BufferedImage fromStream = decoder.decode(new ByteArrayInputStream(Files.readAllBytes(ferImage())), "s");
    assertEquals(48, fromStream.getWidth());
  }

  /** Mean absolute difference of two images as the classifier sees them, on the 0-255 scale. */
  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    // FER2013's contract normalises [0, 1] with mean 0.5, std 0.5: one level is 2/255.
    return sum / a.length * 255 / 2;
  }

  @Test
  void everyCommonFormatIsFoundByItsContentAndDecodesToTheSamePicture() {
    ImagePreprocessor pre = new ImagePreprocessor(InputContract.FER2013);
    float[] reference = pre.preprocess(decoder.decode(TestData.imageFormat("face.png"), "face.png"));
    for (String name : TestData.IMAGE_FORMATS) {
      BufferedImage image = decoder.decode(TestData.imageFormat(name), name);
      assertEquals(128, image.getWidth(), name);
      assertEquals(128, image.getHeight(), name);
      double distance = distance(reference, pre.preprocess(image));
      // Lossless formats give the reference back (palette and GIF round to 0.3 levels), gray+alpha
      // and 16-bit gray included (read through getRGB they were ~54 levels off); lossy WebP and
      // JPEG stay within 2 levels of 255.
      boolean lossy = name.endsWith(".webp") && !name.contains("lossless") || name.endsWith(".jpg");
      assertTrue(distance < (lossy ? 2.5 : 0.5), name + " differs from face.png by " + distance);
    }
    // The name does not matter: a WebP called .jpg, read from a file, is still a WebP.
    assertEquals(128, decoder.decode(write("face-webp-named.jpg")).getWidth());
  }

  private Path write(String name) {
    try {
      return Files.write(dir.resolve(name), TestData.imageFormat(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void zeroByteFile() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.jpg"));
    assertTrue(refused(empty).getMessage().contains("is empty (0 bytes)"));
    InvalidImageException e = assertThrows(InvalidImageException.class,
        () -> decoder.decode(new ByteArrayInputStream(new byte[0]), "upload-7"));
    assertTrue(e.getMessage().contains("upload-7"), e.getMessage());
  }

  @Test
  void truncatedJpeg() throws IOException {
    byte[] whole = Files.readAllBytes(bigGrayImage());
    Path half = Files.write(dir.resolve("half.jpg"), Arrays.copyOf(whole, whole.length / 2));
    String msg = refused(half).getMessage();
    assertTrue(msg.contains("truncated"), msg);
  }

  @Test
  void truncatedSmallFer2013Jpeg() throws IOException {
    byte[] whole = Files.readAllBytes(ferImage());
    Path half = Files.write(dir.resolve("fer-half.jpg"), Arrays.copyOf(whole, whole.length / 2));
    refused(half);
  }

  @Test
  void truncatedPng() throws IOException {
    byte[] png = Images.encode(decoder.decode(bigGrayImage()), "png");
    Path half = Files.write(dir.resolve("half.png"), Arrays.copyOf(png, png.length / 2));
    String msg = refused(half).getMessage();
    assertTrue(msg.contains("truncated"), msg);
  }

  @Test
  void textFile() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image, just text\n");
    String msg = refused(text).getMessage();
    assertTrue(msg.contains("not in a readable image format"), msg);
  }

  @Test
  void missingFile() {
    Path missing = dir.resolve("nowhere.jpg");
    String msg = refused(missing).getMessage();
    assertEquals("Image " + missing + " does not exist", msg);
  }

  @Test
  void directoryIsNotAnImage() {
    refused(dir);
  }

  @Test
  void headerDeclaringTooManyPixelsIsRefusedWithoutDecoding() throws IOException {
    Path bomb = Files.write(dir.resolve("bomb.png"), Images.pngHeader(100_000, 100_000));
    // Decoding 10^10 pixels would take minutes or run out of memory; the header alone decides.
    InvalidImageException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(bomb));
    assertTrue(e.getMessage().contains("100000x100000 = 10000000000 pixels, more than the limit of 40000000"),
        e.getMessage());
  }

  @Test
  void smallerPixelBoundFromImageLimits() {
    ImageDecoder strict = new ImageDecoder(new ImageLimits(48 * 48, 1 << 20));
    assertEquals(48, strict.decode(ferImage()).getWidth(), "48x48 is within a 48*48 bound");
    Path big = bigGrayImage();
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> strict.decode(big));
    assertTrue(e.getMessage().contains(big.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("350x350 = 122500 pixels, more than the limit of 2304"), e.getMessage());
  }

  @Test
  void byteBoundFromImageLimits() throws IOException {
    ImageDecoder strict = new ImageDecoder(new ImageLimits(1_000_000, 100));
    Path fer = ferImage();
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> strict.decode(fer));
    assertTrue(e.getMessage().contains("more than the limit of 100"), e.getMessage());
    byte[] bytes = Files.readAllBytes(fer);
    assertThrows(InvalidImageException.class,
        () -> strict.decode(new ByteArrayInputStream(bytes), "stream"));
    ImageDecoder unbounded = new ImageDecoder(new ImageLimits(Long.MAX_VALUE, Long.MAX_VALUE));
    assertEquals(48, unbounded.decode(new ByteArrayInputStream(bytes), "stream").getWidth());
  }

  @Test
  void garbageAfterAValidHeaderIsRefused() {
    byte[] png = Images.pngHeader(10, 10); // IHDR then IEND, no pixel data
    InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(png, "empty.png"));
    assertTrue(e.getMessage().contains("empty.png"), e.getMessage());
    byte[] text = "GIF89a but then nothing".getBytes(StandardCharsets.US_ASCII);
    assertThrows(InvalidImageException.class, () -> decoder.decode(text, "fake.gif"));
  }

  @Test
  void decodeAtLeastSubsamplesToTheAskedSizeAndWithinTheBudget() {
    byte[] png = Images.encode(Images.gray(400, 300, (x, y) -> (x + y) & 0xff), "png");
    // The largest k keeping 48 x 48: min(400 / 48, 300 / 48) = 6, so every sixth pixel.
    BufferedImage sub = decoder.decodeAtLeast(png, "g.png", 48, 48);
    assertEquals(67, sub.getWidth());
    assertEquals(50, sub.getHeight());
    assertEquals((6 * 5 + 6 * 7) & 0xff, sub.getRaster().getSample(5, 7, 0));
    // Asked for more than half the image: decoded whole.
    assertEquals(400, decoder.decodeAtLeast(png, "g.png", 201, 48).getWidth());
    // A 1000-byte budget (one byte a pixel): from k = 2, k rises until ceil(400/k) * ceil(300/k) <= 1000, k = 12.
    ImageDecoder small = new ImageDecoder(new ImageLimits(1_000_000, 1 << 20, 1000));
    BufferedImage tiny = small.decodeAtLeast(png, "g.png", 200, 150);
    assertEquals(34, tiny.getWidth());
    assertEquals(25, tiny.getHeight());
    assertThrows(IllegalArgumentException.class, () -> decoder.decodeAtLeast(png, "g.png", 0, 1));
  }

  @Test
  void theTwoArgumentLimitsKeepTheDefaultBudget() {
    assertEquals(ImageLimits.DEFAULT_DECODED_BYTES, new ImageLimits(10, 10).maxDecodedBytes());
    assertThrows(IllegalArgumentException.class, () -> new ImageLimits(10, 10, 0));
  }
}
