package io.github.emotion4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * EXIF orientation on JPEGs built in the test: a 64x32 picture of four uniform quadrants, with an
 * Exif APP1 segment spliced in, must decode upright with the right size and quadrant layout.
 */
class ExifOrientationTest {
  // Source quadrants, row-major: A B / C D (32x16 each, large enough for JPEG to keep them flat).
  private static final int A = 0;
  private static final int B = 80;
  private static final int C = 160;
  private static final int D = 240;

  /** What each orientation shows, as the 2x2 grid of quadrants, written out from the EXIF spec. */
  private static final int[][][] EXPECTED = {
    null,
    {{A, B}, {C, D}}, // 1: upright
    {{B, A}, {D, C}}, // 2: mirrored left-right
    {{D, C}, {B, A}}, // 3: rotated 180
    {{C, D}, {A, B}}, // 4: mirrored top-bottom
    {{A, C}, {B, D}}, // 5: transposed
    {{C, A}, {D, B}}, // 6: rotated 90 clockwise to be upright
    {{D, B}, {C, A}}, // 7: transverse
    {{B, D}, {A, C}}, // 8: rotated 90 counter-clockwise to be upright
  };

  private static BufferedImage source() {
    return Images.gray(64, 32, (x, y) -> y < 16 ? (x < 32 ? A : B) : (x < 32 ? C : D));
  }

  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);

  private static int sampleAt(BufferedImage img, double fx, double fy) {
    int x = (int) (fx * img.getWidth());
    int y = (int) (fy * img.getHeight());
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return img.getRaster().getSample(x, y, 0);
    }
    return img.getRGB(x, y) & 0xff;
  }

  private static void assertLayout(BufferedImage img, int orientation, String what) {
    boolean swapped = orientation >= 5;
    assertEquals(swapped ? 32 : 64, img.getWidth(), what + ": width");
    assertEquals(swapped ? 64 : 32, img.getHeight(), what + ": height");
    int[][] grid = EXPECTED[orientation];
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        int got = sampleAt(img, 0.25 + 0.5 * c, 0.25 + 0.5 * r);
        assertEquals(grid[r][c], got, 6.0,
            what + ": quadrant row " + r + " col " + c + " (grid " + Arrays.deepToString(grid) + ")");
      }
    }
  }

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void eachOrientationDecodesUprightBigEndianAfterJfif(int orientation) {
    byte[] jpeg = Images.splice(Images.jpeg(source()), Images.exifApp1(orientation, false), true);
    assertEquals(orientation, ExifOrientation.read(jpeg));
    assertLayout(DECODER.decode(jpeg, "orientation-" + orientation + ".jpg"), orientation, "MM, after APP0");
  }

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void eachOrientationDecodesUprightLittleEndianFirstSegment(int orientation) {
    // Camera files put Exif first; a JFIF APP0 may follow. Both byte orders occur.
    byte[] jpeg = Images.splice(Images.jpeg(source()), Images.exifApp1(orientation, true), false);
    assertEquals(orientation, ExifOrientation.read(jpeg));
    assertLayout(DECODER.decode(jpeg, "orientation-" + orientation + ".jpg"), orientation, "II, first");
  }

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void orientationOfAColourJpeg(int orientation) {
    BufferedImage rgb = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
    BufferedImage g = source();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 64; x++) {
        int v = g.getRaster().getSample(x, y, 0);
        rgb.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    byte[] jpeg = Images.splice(Images.jpeg(rgb), Images.exifApp1(orientation, false), true);
    assertLayout(DECODER.decode(jpeg, "colour.jpg"), orientation, "colour");
  }

  @Test
  void rotatingAGrayImageKeepsItsSampleValues() {
    // Rotation must not pass gray samples through getRGB's linear-gray-to-sRGB conversion.
    BufferedImage img = Images.gray(64, 32, (x, y) -> 80);
    BufferedImage rotated = ExifOrientation.apply(img, 6);
    assertEquals(80, sampleAt(rotated, 0.5, 0.5));
    ImagePreprocessor pre = new ImagePreprocessor(io.github.emotion4j.model.InputContract.FER2013);
    float[] upright = pre.preprocess(Images.gray(48, 48, (x, y) -> 80));
    float[] turned = pre.preprocess(ExifOrientation.apply(Images.gray(48, 48, (x, y) -> 80), 8));
    assertEquals(upright[0], turned[0], 1e-6f);
  }

  @Test
  void missingOrMalformedExifReadsAsUpright() {
    byte[] plain = Images.jpeg(source());
    assertEquals(1, ExifOrientation.read(plain));
    assertEquals(1, ExifOrientation.read(new byte[0]));
    assertEquals(1, ExifOrientation.read(Images.encode(source(), "png")));
    byte[] bad = Images.splice(plain, Images.exifApp1(9, false), true);
    assertEquals(1, ExifOrientation.read(bad), "values outside 1..8 are ignored");
    byte[] seg = Images.exifApp1(6, false);
    byte[] cut = Arrays.copyOf(Images.splice(plain, seg, false), 2 + seg.length - 8);
    assertEquals(1, ExifOrientation.read(cut), "a segment cut short is ignored");
    byte[] hugeOffset = seg.clone();
    hugeOffset[10 + 4] = 0x7f; // IFD0 offset far beyond the segment
    assertEquals(1, ExifOrientation.read(Images.splice(plain, hugeOffset, false)));
    assertTrue(DECODER.decode(Images.splice(plain, hugeOffset, false), "x.jpg").getWidth() == 64);
  }
}
