package io.github.emotion4j.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.face.FaceLandmarks.Point;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The analyzer's ordering, filtering, cropping and ownership, with a mocked classifier and detector. */
class FaceEmotionAnalyzerTest {

  private static EmotionScores scores(int top) {
    float[] p = new float[7];
    java.util.Arrays.fill(p, 0.05f);
    p[top] = 0.7f;
    return EmotionScores.fromProbabilities(LabelSet.FER2013, p, 0);
  }

  @Test
  void largestFirstSmallOnesDroppedOneBatch() {
    EmotionClassifier classifier = mock(EmotionClassifier.class);
    FaceDetector detector = mock(FaceDetector.class);
    BufferedImage photo = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    when(detector.detect(photo)).thenReturn(List.of(
        new DetectedFace(new FaceBox(10, 10, 40, 50), 0.9),
        new DetectedFace(new FaceBox(100, 50, 120, 150), 0.8),
        new DetectedFace(new FaceBox(300, 10, 10, 12), 0.95),
        new DetectedFace(new FaceBox(250, 100, 80, 90), 0.99)));
    List<List<BufferedImage>> batches = new ArrayList<>();
    when(classifier.classifyImages(anyList())).thenAnswer(inv -> {
      List<BufferedImage> crops = inv.getArgument(0);
      batches.add(crops);
      List<EmotionScores> out = new ArrayList<>();
      for (int i = 0; i < crops.size(); i++) {
        out.add(scores(i));
      }
      return out;
    });
    FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier).detector(detector).build();
    List<FaceResult> faces = analyzer.analyze(photo);
    assertEquals(List.of(new FaceBox(100, 50, 120, 150), new FaceBox(250, 100, 80, 90), new FaceBox(10, 10, 40, 50)),
        faces.stream().map(FaceResult::box).toList());
    assertEquals(List.of("angry", "disgust", "fear"), faces.stream().map(f -> f.scores().top().label()).toList());
    assertEquals(0.99, faces.get(1).confidence());
    assertEquals(1, batches.size(), "one classifier call per photo");
    // square crops: the longer side plus 10% on each side, moved inside the photo
    assertEquals(180, batches.get(0).get(0).getWidth());
    assertEquals(180, batches.get(0).get(0).getHeight());
    analyzer.close();
    verify(detector, never()).close();
    verify(classifier, never()).close();
  }

  @Test
  void noFaceGivesAnEmptyListWithoutClassifying() {
    EmotionClassifier classifier = mock(EmotionClassifier.class);
    FaceDetector detector = mock(FaceDetector.class);
    when(detector.detect(org.mockito.ArgumentMatchers.any())).thenReturn(List.of());
    FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier).detector(detector).build();
    assertEquals(List.of(), analyzer.analyze(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB)));
    verify(classifier, never()).classifyImages(anyList());
  }

  @Test
  void cropIsASquareAroundTheBoxCentre() {
    BufferedImage photo = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
    DetectedFace face = new DetectedFace(new FaceBox(80, 20, 40, 50), 0.9);
    BufferedImage crop = FaceEmotionAnalyzer.crop(photo, face, 0.1, false);
    assertEquals(60, crop.getWidth());
    assertEquals(60, crop.getHeight());
    // at the photo's edge the square moves inside; larger than the photo it shrinks
    BufferedImage edge = FaceEmotionAnalyzer.crop(photo, new DetectedFace(new FaceBox(-10, -10, 60, 60), 0.9), 0, false);
    assertEquals(60, edge.getWidth());
    BufferedImage huge = FaceEmotionAnalyzer.crop(photo, new DetectedFace(new FaceBox(0, 0, 200, 100), 0.9), 0.5, false);
    assertEquals(100, huge.getWidth());
    assertEquals(100, huge.getHeight());
  }

  @Test
  void alignmentLevelsTheEyes() {
    // a photo whose left half is white, rotated 90 degrees in the crop when the eyes are vertical
    BufferedImage photo = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = photo.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 50, 100);
    g.dispose();
    Point p = new Point(50, 50);
    FaceLandmarks vertical = new FaceLandmarks(new Point(50, 40), new Point(50, 60), p, p, p);
    DetectedFace face = new DetectedFace(new FaceBox(30, 30, 40, 40), 0.9, Optional.of(vertical));
    BufferedImage level = FaceEmotionAnalyzer.crop(photo, face, 0, true);
    assertEquals(40, level.getWidth());
    assertEquals(Math.PI / 2, vertical.eyeAngle(), 1e-9);
    // rotated by -90 degrees: the white left half is now the bottom half
    assertTrue((level.getRGB(20, 35) & 0xff) > 200, "bottom is white");
    assertTrue((level.getRGB(20, 5) & 0xff) < 50, "top is black");
    BufferedImage unaligned = FaceEmotionAnalyzer.crop(photo, face, 0, false);
    assertTrue((unaligned.getRGB(5, 20) & 0xff) > 200, "left is white without alignment");
  }

  @Test
  void optionsAreValidated() {
    EmotionClassifier classifier = mock(EmotionClassifier.class);
    FaceEmotionAnalyzer.Builder b = FaceEmotionAnalyzer.builder(classifier);
    assertThrows(IllegalArgumentException.class, () -> b.minFaceSize(0));
    assertThrows(IllegalArgumentException.class, () -> b.margin(-0.1));
    assertThrows(IllegalArgumentException.class, () -> b.margin(1.5));
    assertThrows(NullPointerException.class, () -> FaceEmotionAnalyzer.builder(null));
    FaceDetector detector = mock(FaceDetector.class);
    FaceEmotionAnalyzer a = b.detector(detector).minFaceSize(30).margin(0.25).align(true).build();
    assertEquals(30, a.minFaceSize());
    assertEquals(0.25, a.margin());
    assertTrue(a.align());
    assertSame(detector, a.detector());
    assertSame(classifier, a.classifier());
  }

  @Test
  void recordsValidate() {
    FaceBox box = new FaceBox(0, 0, 10, 10);
    assertThrows(IllegalArgumentException.class, () -> new DetectedFace(box, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new DetectedFace(box, Double.NaN));
    assertThrows(NullPointerException.class, () -> new DetectedFace(null, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Point(Double.NaN, 0));
    assertThrows(NullPointerException.class, () -> new FaceResult(box, 0.5, null, Optional.empty()));
  }

  @Test
  void discoveryNamesWhatExists() {
    FaceDetector a = mock(FaceDetector.class);
    when(a.name()).thenReturn("alpha");
    when(a.rank()).thenReturn(20);
    FaceDetector b = mock(FaceDetector.class);
    when(b.name()).thenReturn("beta");
    when(b.rank()).thenReturn(10);
    assertSame(b, FaceDetectors.discover(List.of(a, b)).choose(null));
    verify(a).close();
    assertSame(a, FaceDetectors.discover(List.of(a, b)).choose("ALPHA"));
    FaceDetectorUnavailableException e = assertThrows(FaceDetectorUnavailableException.class,
        () -> FaceDetectors.discover(List.of(a, b)).choose("gamma"));
    assertEquals("No emotion4j face detector named \"gamma\". Available: beta, alpha. "
        + "Add io.github.emotion4j:emotion4j-faces-yunet. See docs/FACES.md#detector-not-found", e.getMessage());
    FaceDetectorUnavailableException none = assertThrows(FaceDetectorUnavailableException.class,
        () -> FaceDetectors.discover(List.of()).choose(null));
    assertEquals("No emotion4j face detector was found. Add io.github.emotion4j:emotion4j-faces-yunet. "
        + "See docs/FACES.md#detector-not-found", none.getMessage());
  }

  @Test
  void theApiAloneHasNoDetector() {
    FaceDetectorUnavailableException e = assertThrows(FaceDetectorUnavailableException.class, FaceDetector::load);
    assertTrue(e.getMessage().startsWith("No emotion4j face detector was found."), e.getMessage());
    assertThrows(FaceDetectorUnavailableException.class,
        () -> FaceEmotionAnalyzer.builder(mock(EmotionClassifier.class)).build());
  }
}
