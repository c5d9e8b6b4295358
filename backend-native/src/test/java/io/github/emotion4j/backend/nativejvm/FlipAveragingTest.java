package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FlipAveragingTest {
  @Test
  void scoresAreTheMeanOfTheFaceAndItsMirrorImage() throws IOException {
    List<Path> faces = TestData.fer2013Sample("test", 2);
    try (EmotionClassifier plain = EmotionClassifier.builder().backend("native").build();
        EmotionClassifier flip = EmotionClassifier.builder().backend("native").flipAveraging(true).build()) {
      for (int i = 0; i < faces.size(); i++) {
        BufferedImage face = ImageIO.read(faces.get(i).toFile());
        EmotionScores averaged = flip.classify(face);
        EmotionScores a = plain.classify(face);
        EmotionScores b = plain.classify(mirror(face));
        assertNotEquals(a.probabilities(), b.probabilities(), "a face and its mirror image score differently");
        for (int c = 0; c < a.labels().size(); c++) {
          assertEquals((a.probabilities().get(c) + b.probabilities().get(c)) / 2,
              averaged.probabilities().get(c), 1e-5, faces.get(i) + " label " + c);
        }
      }
    }
  }

  private static BufferedImage mirror(BufferedImage image) {
    // raster samples, not getRGB: a gray image's getRGB goes through a colour conversion
    BufferedImage out = new BufferedImage(image.getColorModel(), image.getRaster().createCompatibleWritableRaster(),
        image.isAlphaPremultiplied(), null);
    int[] pixel = new int[image.getRaster().getNumBands()];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        out.getRaster().setPixel(image.getWidth() - 1 - x, y, image.getRaster().getPixel(x, y, pixel));
      }
    }
    return out;
  }
}
