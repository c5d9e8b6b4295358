package io.github.emotion4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.FaceBox;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Preprocessing of real and synthetic images, checked against values computed by hand. */
class ImagePreprocessorTest {
  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);
  private static final ImagePreprocessor FER = new ImagePreprocessor(InputContract.FER2013);
  private static final InputContract RGB64 = new InputContract(
      3, 64, 64, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), InputContract.BILINEAR);

  private static InputContract gray(int size, String resize) {
    return new InputContract(1, size, size, List.of(0.0), List.of(1.0), resize);
  }

  @Test
  void realImagesOfEverySizeGiveTheContractShapeAndRange() {
    List<Path> files = new ArrayList<>(TestData.fer2013Sample("test", 2));
    files.addAll(TestData.otherFacesSample(150));
    Set<String> sizes = new TreeSet<>();
    int colour = 0;
    for (Path file : files) {
      BufferedImage img = DECODER.decode(file);
      sizes.add(img.getWidth() + "x" + img.getHeight());
      colour += img.getColorModel().getNumColorComponents() == 3 ? 1 : 0;
      float[] x = FER.preprocess(img);
      assertEquals(48 * 48, x.length, file.toString());
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : x) {
        assertTrue(v >= -1f - 1e-6f && v <= 1f + 1e-6f, file + ": " + v + " outside [-1, 1]");
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertTrue(max - min > 0.1f, file + " is not flat after preprocessing");
      float[] y = new ImagePreprocessor(RGB64).preprocess(img);
      assertEquals(3 * 64 * 64, y.length);
      for (int c = 0; c < 3; c++) {
        double lo = (0 - RGB64.mean().get(c)) / RGB64.std().get(c);
        double hi = (1 - RGB64.mean().get(c)) / RGB64.std().get(c);
        for (int i = c * 4096; i < (c + 1) * 4096; i++) {
          assertTrue(y[i] >= lo - 1e-5 && y[i] <= hi + 1e-5, file + " channel " + c + ": " + y[i]);
        }
      }
    }
    assertTrue(sizes.size() >= 20, "many sizes: " + sizes);
    assertTrue(colour >= 20, "colour images among them: " + colour);
  }

  @Test
  void fer2013ImageAt48IsItsSamplesNormalised() {
    for (Path file : TestData.fer2013Sample("val", 1)) {
      BufferedImage img = DECODER.decode(file);
      assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
      float[] x = FER.preprocess(img);
      for (int y = 0; y < 48; y++) {
        for (int c = 0; c < 48; c++) {
          float expected = (img.getRaster().getSample(c, y, 0) / 255f - 0.5f) / 0.5f;
          assertEquals(expected, x[y * 48 + c], 1e-6f, file + " at " + c + "," + y);
        }
      }
    }
  }

  @Test
  void lumaOfASyntheticColourImageMatchesRec601ByHand() {
    int[][] colours = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {200, 100, 50}, {12, 34, 56}, {255, 255, 255}};
    BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 48; x++) {
        int[] c = colours[(x / 8) % colours.length];
        img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
      }
    }
    float[] out = FER.preprocess(img);
    // Red: 0.299 * 255 / 255 = 0.299, normalised (0.299 - 0.5) / 0.5 = -0.402
    assertEquals(-0.402f, out[0], 1e-5f);
    // Green: 0.587 -> 0.174; blue: 0.114 -> -0.772
    assertEquals(0.174f, out[8], 1e-5f);
    assertEquals(-0.772f, out[16], 1e-5f);
    // (200, 100, 50): (59.8 + 58.7 + 5.7) / 255 = 0.48706, -> -0.02588
    assertEquals(-0.025882f, out[24], 1e-5f);
    // (12, 34, 56): (3.588 + 19.958 + 6.384) / 255 = 0.117373, -> -0.765255
    assertEquals(-0.765255f, out[32 + 48 * 47], 1e-5f);
    assertEquals(1f, out[40], 1e-5f);
  }

  @Test
  void rgbContractKeepsChannelsApartInChwOrder() {
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        img.setRGB(x, y, (255 << 16) | (0 << 8) | 102);
      }
    }
    float[] out = new ImagePreprocessor(RGB64).preprocess(img);
    assertEquals((1 - 0.485) / 0.229, out[0], 1e-5);
    assertEquals((0 - 0.456) / 0.224, out[4096 + 100], 1e-5);
    assertEquals((0.4 - 0.406) / 0.225, out[2 * 4096 + 4095], 1e-5);
  }

  @Test
  void centreCropOfWideAndTallImages() {
    // Wide 144x48: only the middle 48 columns are kept; they hold 200, the sides 0.
    BufferedImage wide = Images.gray(144, 48, (x, y) -> x >= 48 && x < 96 ? 200 : 0);
    for (float v : FER.preprocess(wide)) {
      assertEquals((200 / 255f - 0.5f) / 0.5f, v, 1e-5f);
    }
    // Tall 60x100 to 48x48: the crop is the 60x60 square from row 20.
    BufferedImage tall = Images.gray(60, 100, (x, y) -> y >= 20 && y < 80 ? 100 : 255);
    for (float v : new ImagePreprocessor(gray(48, InputContract.AREA)).preprocess(tall)) {
      assertEquals(100 / 255f, v, 1e-5f);
    }
    // A non-square contract crops to its own aspect ratio: 32 wide x 16 high from a 64x64 image.
    InputContract flat = new InputContract(1, 16, 32, List.of(0.0), List.of(1.0), InputContract.AREA);
    BufferedImage square = Images.gray(64, 64, (x, y) -> y >= 16 && y < 48 ? 50 : 250);
    for (float v : new ImagePreprocessor(flat).preprocess(square)) {
      assertEquals(50 / 255f, v, 1e-5f);
    }
  }

  @Test
  void faceBoxCropAndClamping() {
    BufferedImage img = Images.gray(200, 150, (x, y) -> x >= 100 && x < 148 && y >= 30 && y < 78 ? 180 : 20);
    ImagePreprocessor pre = new ImagePreprocessor(gray(48, InputContract.AREA));
    float[] out = new float[2 * 2304];
    pre.preprocess(img, new FaceBox(100, 30, 48, 48), out, 2304);
    for (int i = 0; i < 2304; i++) {
      assertEquals(0f, out[i], 0f, "the first image's slot is untouched");
      assertEquals(180 / 255f, out[2304 + i], 1e-6f);
    }
    // A box reaching past the right and bottom edges is clamped to the image.
    BufferedImage corner = Images.gray(100, 100, (x, y) -> x >= 60 && y >= 60 ? 90 : 0);
    float[] c = new float[2304];
    pre.preprocess(corner, new FaceBox(60, 60, 80, 80), c, 0);
    for (float v : c) {
      assertEquals(90 / 255f, v, 1e-6f);
    }
    // Negative origin clamps too.
    pre.preprocess(corner, new FaceBox(-50, -50, 90, 90), c, 0);
    for (float v : c) {
      assertEquals(0f, v, 1e-6f);
    }
    InvalidImageException e = assertThrows(InvalidImageException.class,
        () -> pre.preprocess(corner, new FaceBox(100, 0, 10, 10), c, 0));
    assertTrue(e.getMessage().contains("lies outside the 100x100 image"), e.getMessage());
  }

  @Test
  void areaAndBilinearOnALinearGradientDownByFour() {
    // Column x holds x (0..191). Area: mean of columns 4i..4i+3 = 4i + 1.5. Bilinear with
    // half-pixel centres samples at (i + 0.5) * 4 - 0.5 = 4i + 1.5 too: both keep a linear ramp.
    BufferedImage ramp = Images.gray(192, 192, (x, y) -> x);
    float[] area = new ImagePreprocessor(gray(48, InputContract.AREA)).preprocess(ramp);
    float[] bilinear = new ImagePreprocessor(gray(48, InputContract.BILINEAR)).preprocess(ramp);
    for (int i = 0; i < 48; i++) {
      assertEquals((4 * i + 1.5f) / 255f, area[10 * 48 + i], 1e-5f, "area column " + i);
      assertEquals((4 * i + 1.5f) / 255f, bilinear[10 * 48 + i], 1e-5f, "bilinear column " + i);
    }
  }

  @Test
  void areaAndBilinearDifferOnOnePixelStripes() {
    // Columns alternate 0, 255. Down by 3, area averages three columns (1/3 or 2/3 of 255);
    // bilinear's sample centre 3i + 1 falls exactly on one column (0 or 255): it aliases.
    BufferedImage stripes = Images.gray(144, 144, (x, y) -> x % 2 == 0 ? 0 : 255);
    float[] area = new ImagePreprocessor(gray(48, InputContract.AREA)).preprocess(stripes);
    float[] bilinear = new ImagePreprocessor(gray(48, InputContract.BILINEAR)).preprocess(stripes);
    for (int i = 0; i < 48; i++) {
      float expectedArea = i % 2 == 0 ? 1f / 3 : 2f / 3; // 3i is even for even i: 0, 255, 0
      assertEquals(expectedArea, area[i], 1e-5f, "area column " + i);
      assertEquals(i % 2 == 0 ? 1f : 0f, bilinear[i], 1e-5f, "bilinear column " + i);
    }
  }

  @Test
  void areaOverANonIntegerRatioMatchesAnIntegralComputedByHand() {
    // 100 -> 48 columns: output i covers source [i * 100/48, (i + 1) * 100/48); with column j holding
    // value j, the mean is the integral of the step function over that span divided by its width.
    BufferedImage ramp = Images.gray(100, 48, (x, y) -> x * 2);
    // The face box keeps the whole image (a centre crop would cut it to 48x48).
    InputContract wide = new InputContract(1, 23, 48, List.of(0.0), List.of(1.0), InputContract.AREA);
    float[] out = new float[48 * 23];
    new ImagePreprocessor(wide).preprocess(ramp, new FaceBox(0, 0, 100, 48), out, 0);
    double scale = 100 / 48.0;
    for (int i = 0; i < 48; i++) {
      double lo = i * scale;
      double hi = (i + 1) * scale;
      double integral = 0;
      for (int j = (int) Math.floor(lo); j < Math.ceil(hi); j++) {
        integral += (Math.min(hi, j + 1) - Math.max(lo, j)) * (2 * j);
      }
      assertEquals(integral / scale / 255, out[5 * 48 + i], 1e-5, "column " + i);
    }
  }

  @Test
  void bilinearUpscaleInterpolatesAndClampsAtTheEdges() {
    // 24 -> 48 columns holding 10 * x: sample centre (i + 0.5) / 2 - 0.5 = i/2 - 0.25.
    BufferedImage ramp = Images.gray(24, 24, (x, y) -> 10 * x);
    float[] out = new ImagePreprocessor(gray(48, InputContract.BILINEAR)).preprocess(ramp);
    assertEquals(0f, out[0], 1e-6f, "left edge clamps to column 0");
    assertEquals(230 / 255f, out[47], 1e-6f, "right edge clamps to column 23");
    for (int i = 1; i < 47; i++) {
      double centre = i / 2.0 - 0.25;
      assertEquals(10 * centre / 255, out[20 * 48 + i], 1e-5, "column " + i);
    }
    // Area upscaling falls back to bilinear.
    float[] area = new ImagePreprocessor(gray(48, InputContract.AREA)).preprocess(ramp);
    assertArrayEquals(out, area, 1e-6f);
  }

  @ParameterizedTest(name = "{0}x{0}")
  @ValueSource(ints = {1, 2, 3, 7, 47, 48, 49, 95, 97, 100, 211, 350, 1001})
  void aFlatImageStaysFlatAtEverySizeWithBothFilters(int size) {
    BufferedImage flat = Images.gray(size, size + size / 3, (x, y) -> 123);
    for (String resize : List.of(InputContract.AREA, InputContract.BILINEAR)) {
      for (float v : new ImagePreprocessor(gray(48, resize)).preprocess(flat)) {
        assertEquals(123 / 255f, v, 2e-6f, resize + " at " + size);
      }
    }
  }
}
