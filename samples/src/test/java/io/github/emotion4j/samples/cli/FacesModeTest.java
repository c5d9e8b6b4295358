package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code classify --faces}: a 640x480 photo made by the test, two real face crops (faces-other-source)
 * drawn at known places on a grey background, run through YuNet and a test-made LeNet on PyTorch.
 */
class FacesModeTest {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 480;
  /** Where the two crops are drawn, each scaled to 200x200. */
  private static final List<FaceBox> PLACES = List.of(new FaceBox(50, 140, 200, 200), new FaceBox(390, 110, 200, 200));
  private static final Pattern FACE_LINE = Pattern.compile(
      "(.+): face (\\d) at \\[(\\d+),(\\d+) (\\d+)x(\\d+)\\] (\\w+) \\((\\d+\\.\\d)%\\), "
          + "detector confidence (\\d\\.\\d\\d)");

  /** Holds the package and the photo, for the whole class. */
  @TempDir
  static Path shared;

  /** A test-made LeNet package (zip). */
  static Path model;
  /** The two-face photo (PNG). */
  static Path photo;

  /** A folder for each test's output. */
  @TempDir
  Path tmp;

  /**
   * Saves the package and composes the photo.
   *
   * @throws IOException if a file cannot be read or written
   */
  @BeforeAll
  static void makeModelAndPhoto() throws IOException {
    model = shared.resolve("m.zip");
    TestData.randomPreset(NetworkPreset.LENET, 3).save(model);

    List<Path> crops;
    try (Stream<Path> files = Files.list(TestData.otherFaces())) {
      crops = files.filter(p -> p.toString().endsWith(".jpg")).sorted()
          .filter(p -> read(p).getWidth() == 350).toList();
    }
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(128, 128, 128));
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    for (int i = 0; i < PLACES.size(); i++) {
      FaceBox p = PLACES.get(i);
      g.drawImage(read(crops.get(5 + 17 * i)), p.x(), p.y(), p.width(), p.height(), null);
    }
    g.dispose();
    photo = shared.resolve("two-faces.png");
    ImageIO.write(img, "png", photo.toFile());
  }

  private static BufferedImage read(Path file) {
    try {
      return ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fails unless each known place has exactly one box centred in it that lies mostly inside it. */
  private static void assertBoxesAtThePlaces(List<FaceBox> boxes) {
    assertEquals(PLACES.size(), boxes.size(), boxes::toString);
    for (FaceBox place : PLACES) {
      List<FaceBox> in = boxes.stream().filter(b -> {
        double cx = b.x() + b.width() / 2.0;
        double cy = b.y() + b.height() / 2.0;
        return cx >= place.x() && cx < place.x() + place.width() && cy >= place.y() && cy < place.y() + place.height();
      }).toList();
      assertEquals(1, in.size(), () -> "boxes centred in " + place + ": " + boxes);
      FaceBox b = in.get(0);
      int ix = Math.min(b.x() + b.width(), place.x() + place.width()) - Math.max(b.x(), place.x());
      int iy = Math.min(b.y() + b.height(), place.y() + place.height()) - Math.max(b.y(), place.y());
      assertTrue(ix > 0 && iy > 0 && ix * (double) iy >= 0.5 * b.area(), () -> b + " is not mostly inside " + place);
      assertTrue(b.width() >= 40 && b.height() >= 40, () -> b + " is too small for a 200-pixel face");
    }
  }

  private static List<FaceBox> boxes(String out) {
    List<FaceBox> boxes = new ArrayList<>();
    for (String line : out.lines().toList()) {
      Matcher m = FACE_LINE.matcher(line);
      assertTrue(m.matches(), () -> "not a face line: " + line);
      assertEquals(photo.toString(), m.group(1));
      assertEquals(boxes.size(), Integer.parseInt(m.group(2)), line);
      boxes.add(new FaceBox(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
          Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))));
    }
    return boxes;
  }

  /** One text line per face, each box where a face was drawn. */
  @Test
  void printsOneLinePerFaceWithBoxesAtTheKnownPlaces() {
    CliRun run = CliRun.of("classify", "--faces", "--backend", "pytorch", "--model", model.toString(),
        photo.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals(2, run.out().lines().count(), run::toString);
    assertBoxesAtThePlaces(boxes(run.out()));
  }

  /** {@code --json}: one object per face, with box, confidence, scores and their top label. */
  @Test
  void jsonGivesOneObjectPerFace() {
    CliRun run = CliRun.of("classify", "--faces", "--json", "--backend", "pytorch", "--model", model.toString(),
        photo.toString());
    assertEquals(0, run.code(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(2, lines.size(), run::toString);
    List<FaceBox> boxes = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
      assertEquals(photo.toString(), o.get("file").getAsString());
      assertEquals(i, o.get("face").getAsInt());
      var box = o.getAsJsonArray("box");
      assertEquals(4, box.size());
      boxes.add(new FaceBox(box.get(0).getAsInt(), box.get(1).getAsInt(),
          box.get(2).getAsInt(), box.get(3).getAsInt()));
      double confidence = o.get("confidence").getAsDouble();
      assertTrue(confidence > 0.5 && confidence <= 1, lines.get(i));
      JsonObject scores = o.getAsJsonObject("scores");
      assertEquals(7, scores.size());
      assertEquals(1, scores.entrySet().stream().mapToDouble(e -> e.getValue().getAsDouble()).sum(), 1e-5);
      String best = scores.entrySet().stream()
          .max(Map.Entry.comparingByValue((a, b) -> Double.compare(a.getAsDouble(), b.getAsDouble())))
          .orElseThrow().getKey();
      assertEquals(best, o.get("top").getAsString(), lines.get(i));
    }
    assertBoxesAtThePlaces(boxes);
  }

  /**
   * {@code --csv}: a header, then one row per face, each box where a face was drawn; an unreadable
   * file is named on standard error and counted, and the photo as WebP named .jpg still goes.
   *
   * @throws IOException if a test file cannot be written
   */
  @Test
  void csvGivesAHeaderAndOneRowPerFaceAndSkipsUnreadableFiles() throws IOException {
    Path broken = Files.writeString(tmp.resolve("broken.png"), "not a png");
    CliRun run = CliRun.of("classify", "--faces", "--csv", "--backend", "pytorch", "--model", model.toString(),
        photo.toString(), broken.toString());
    assertEquals(0, run.code(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals("file,face,x,y,width,height,confidence,top,angry,disgust,fear,happy,neutral,sad,surprise",
        lines.get(0));
    assertEquals(3, lines.size(), run::toString);
    List<FaceBox> boxes = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      assertEquals(15, f.length, lines.get(i));
      assertEquals(photo.toString(), f[0]);
      assertEquals(i - 1, Integer.parseInt(f[1]));
      boxes.add(new FaceBox(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
          Integer.parseInt(f[5])));
      double sum = 0;
      for (int j = 8; j < 15; j++) {
        sum += Double.parseDouble(f[j]);
      }
      assertEquals(1, sum, 1e-5, lines.get(i));
    }
    assertBoxesAtThePlaces(boxes);
    assertTrue(run.err().contains("skipped: Image " + broken), run::toString);
    assertTrue(run.err().contains("1 of 2 images could not be read"), run::toString);
  }

  /**
   * {@code --draw}: a decodable PNG of the photo's size, with the boxes drawn.
   *
   * @throws IOException if the PNG cannot be read
   */
  @Test
  void drawWritesAPngOfThePhotosSizeWithTheBoxes() throws IOException {
    Path drawn = tmp.resolve("drawn");
    CliRun run = CliRun.of("classify", "--faces", "--draw", drawn.toString(), "--backend", "pytorch",
        "--model", model.toString(), photo.toString());
    assertEquals(0, run.code(), run::toString);
    Path png = drawn.resolve("two-faces-faces.png");
    assertTrue(Files.isRegularFile(png), () -> png + " was not written\n" + run);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " is not a readable PNG");
    assertEquals(WIDTH, image.getWidth());
    assertEquals(HEIGHT, image.getHeight());
    // each box's bottom edge is drawn in green (the label sits on the top edge)
    for (FaceBox b : boxes(run.out())) {
      int x = b.x() + b.width() / 2;
      int y = b.y() + b.height();
      boolean green = false;
      for (int dy = -1; dy <= 1; dy++) {
        green |= (image.getRGB(x, y + dy) & 0xFFFFFF) == 0x00FF00;
      }
      assertTrue(green, "no green box edge at " + x + "," + y + " for " + b);
    }
    // and the photo is still there around the boxes
    assertEquals(0x808080, image.getRGB(5, 5) & 0xFFFFFF);
  }

  /**
   * A photo without a face prints "no face found" and still exits 0.
   *
   * @throws IOException if the image cannot be written
   */
  @Test
  void aFaceFreeImageSaysSo() throws IOException {
    BufferedImage blank = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = blank.createGraphics();
    g.setColor(new Color(90, 120, 150));
    g.fillRect(0, 0, 320, 240);
    g.dispose();
    Path file = tmp.resolve("blank.png");
    ImageIO.write(blank, "png", file.toFile());
    CliRun run = CliRun.of("classify", "--faces", "--backend", "pytorch", "--model", model.toString(),
        file.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals(file + ": no face found", run.out().strip(), run::toString);
  }

  @Test
  void facesOnTheOnnxRuntimeBackendWork() {
    // the detector and the onnxruntime backend share ONNX Runtime's one environment (djl#3679)
    CliRun run = CliRun.of("classify", "--faces", "--backend", "onnxruntime", "--model", model.toString(),
        photo.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals(2, run.out().lines().filter(l -> l.contains(": face ")).count(), run::toString);
  }
}
