package io.github.emotion4j.face.yunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.ScoredLabel;
import io.github.emotion4j.face.FaceEmotionAnalyzer;
import io.github.emotion4j.face.FaceResult;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end: YuNet finds the faces of a composed photo, a PyTorch classifier (seeded test weights)
 * classifies each, and each face's emotion is the one its crop gets alone.
 */
class FaceEmotionAnalyzerTest {
  private static final Logger log = LoggerFactory.getLogger(FaceEmotionAnalyzerTest.class);
  /**
   * A lead of the top label over the runner-up that the few-pixel box shifts between a face in a
   * photo and the same face alone must not overturn. The test model's weights are seeded random,
   * so many faces are near-ties between two labels; those may flip.
   */
  private static final double CLEAR = 0.03;

  private static EmotionClassifier classifier;
  private static YuNetFaceDetector detector;

  @BeforeAll
  static void start() {
    classifier = EmotionClassifier.builder().backend("pytorch")
        .model(TestData.randomPreset(NetworkPreset.VGG_BN, 1)).build();
    detector = new YuNetFaceDetector();
  }

  @AfterAll
  static void stop() {
    detector.close();
    classifier.close();
  }

  private static FaceResult at(List<FaceResult> faces, FaceBox rect) {
    for (FaceResult f : faces) {
      double cx = f.box().x() + f.box().width() / 2.0;
      double cy = f.box().y() + f.box().height() / 2.0;
      if (cx >= rect.x() && cx < rect.x() + rect.width() && cy >= rect.y() && cy < rect.y() + rect.height()) {
        return f;
      }
    }
    return null;
  }

  private void emotionOfEachFaceIsItsCropsEmotion(boolean align) {
    FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier).detector(detector).align(align).build();
    List<Path> crops = Photos.crops().stream().filter(p -> Photos.read(p).getWidth() == 350).toList();
    List<Path> chosen = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      chosen.add(crops.get(5 + k * 17));
    }
    int[][] sizes = {{1280, 720, 2, 0, 11}, {1920, 1080, 5, 0, 12}, {1280, 720, 6, 160, 13}};
    int compared = 0;
    int sameAsAlone = 0;
    int sameAsPadded = 0;
    double maxDiff = 0;
    for (int[] s : sizes) {
      Photos.Composed photo = Photos.compose(s[0], s[1], chosen.subList(0, s[2]), s[3], s[3], s[4]);
      List<FaceResult> faces = analyzer.analyze(photo.photo());
      assertEquals(photo.faces().size(), faces.size(), "one result per placed face");
      for (int i = 1; i < faces.size(); i++) {
        assertTrue(faces.get(i - 1).box().area() >= faces.get(i).box().area(), "largest first");
      }
      for (Photos.Placed p : photo.faces()) {
        FaceResult inPhoto = at(faces, p.rect());
        String got = inPhoto.scores().top().label();
        // The crop alone, where it was in the photo: the same detection scale, so nearly the same box
        // (YuNet's boxes move by a few pixels with what surrounds the face).
        List<FaceResult> alone = analyzer.analyze(Photos.only(s[0], s[1], s[4], p));
        assertEquals(1, alone.size(), p.source().getFileName() + " alone");
        FaceResult a = alone.get(0);
        assertTrue(a.box().iou(inPhoto.box()) >= 0.85, "box alone " + a.box() + ", in the photo " + inPhoto.box());
        compared++;
        List<ScoredLabel> ranked = a.scores().sorted();
        boolean clear = ranked.get(0).probability() - ranked.get(1).probability() >= CLEAR;
        if (ranked.get(0).label().equals(got)) {
          sameAsAlone++;
        } else {
          assertTrue(!clear, p.source().getFileName() + ": " + got + " in the photo, " + ranked.get(0) + " alone");
        }
        log.debug("{} in photo {} {} alone {} {}", p.source().getFileName(), inPhoto.box(), inPhoto.scores().top(),
            a.box(), ranked.subList(0, 2));
        for (String label : classifier.labels().labels()) {
          maxDiff = Math.max(maxDiff, Math.abs(a.scores().probability(label) - inPhoto.scores().probability(label)));
        }
        // The crop at its own size on a small background: another scale, so the box moves more.
        List<FaceResult> padded = analyzer.analyze(Photos.padded(p.crop(), 3));
        if (padded.size() == 1 && padded.get(0).scores().top().label().equals(got)) {
          sameAsPadded++;
        }
      }
    }
    log.info("align={}: top label of the face in the photo = the crop's alone at the same place for {}/{} faces "
        + "(max probability difference {}), = the crop's at its own size for {}/{}", align, sameAsAlone, compared,
        String.format("%.4f", maxDiff), sameAsPadded, compared);
    assertTrue(sameAsAlone >= 0.9 * compared, "top label = crop's alone for " + sameAsAlone + "/" + compared);
    assertTrue(sameAsPadded >= 0.6 * compared, "top label = crop's at its own size for " + sameAsPadded + "/" + compared);
  }

  @Test
  void emotionOfEachFaceIsItsCropsEmotion() {
    emotionOfEachFaceIsItsCropsEmotion(false);
  }

  @Test
  void emotionOfEachAlignedFaceIsItsCropsEmotion() {
    emotionOfEachFaceIsItsCropsEmotion(true);
  }

  @Test
  void aPhotoWithNoFaceGivesAnEmptyList(@TempDir Path dir) throws Exception {
    FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier).detector(detector).build();
    assertEquals(List.of(), analyzer.analyze(Photos.texture(640, 480, 5)));
    Path file = dir.resolve("gradient.png");
    ImageIO.write(Photos.background(640, 480, 5, false), "png", file.toFile());
    assertTrue(Files.size(file) > 0);
    assertEquals(List.of(), analyzer.analyze(file));
  }

  @Test
  void minFaceSizeDropsSmallFaces() {
    List<Path> crops = Photos.crops().subList(0, 4);
    Photos.Composed c = Photos.compose(1280, 720, crops, 100, 100, 3);
    FaceEmotionAnalyzer all = FaceEmotionAnalyzer.builder(classifier).detector(detector).build();
    FaceEmotionAnalyzer none = FaceEmotionAnalyzer.builder(classifier).detector(detector).minFaceSize(200).build();
    assertEquals(4, all.analyze(c.photo()).size());
    assertEquals(List.of(), none.analyze(c.photo()));
  }

  @Test
  void analyzerLoadsTheDetectorItselfWhenGivenNone() {
    BufferedImage crop = Photos.read(Photos.crops().get(0));
    try (FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier).build()) {
      assertEquals("yunet", analyzer.detector().name());
      assertEquals(1, analyzer.analyze(Photos.padded(crop, 0)).size());
    }
  }
}
