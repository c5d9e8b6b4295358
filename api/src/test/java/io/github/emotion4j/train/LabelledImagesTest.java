package io.github.emotion4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.testing.TestData;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two loaders on the same real FER2013 images: a CSV in FER2013's layout written from the
 * JPEGs' grey levels, and a folder-per-label copy of the JPEGs.
 */
class LabelledImagesTest {
  private static final int PER_LABEL = 5;
  private static final String HEADER = "emotion,pixels,Usage";

  @TempDir
  static Path dir;

  /** The sampled images, in FER2013 label order then file name: the order both loaders give. */
  static List<Path> sample;
  static Path folder;
  static Path csv;
  /** The CSV's data rows, in {@link #sample} order. */
  static List<String> rows;

  @BeforeAll
  static void writeFolderAndCsv() throws IOException {
    sample = TestData.fer2013Sample("test", PER_LABEL);
    assertEquals(7 * PER_LABEL, sample.size());
    folder = dir.resolve("folder");
    rows = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Path image : sample) {
      String label = image.getParent().getFileName().toString();
      Path copy = folder.resolve(label).resolve(image.getFileName().toString());
      Files.createDirectories(copy.getParent());
      Files.copy(image, copy);
      // the first four of each label are training rows, the fifth a public-test row
      int k = seen.merge(label, 1, Integer::sum);
      rows.add(row(LabelSet.FER2013.labels().indexOf(label), greyLevels(image), k <= 4 ? "Training" : "PublicTest"));
    }
    csv = writeCsv("fer2013.csv", rows);
  }

  private static String greyLevels(Path jpeg) throws IOException {
    BufferedImage img = ImageIO.read(jpeg.toFile());
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType(), jpeg + " is not a grey JPEG");
    assertEquals(48, img.getWidth(), jpeg::toString);
    assertEquals(48, img.getHeight(), jpeg::toString);
    Raster raster = img.getRaster();
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 48; x++) {
        sb.append(sb.length() == 0 ? "" : " ").append(raster.getSample(x, y, 0));
      }
    }
    return sb.toString();
  }

  private static String row(int label, String pixels, String usage) {
    return label + "," + pixels + "," + usage;
  }

  private static Path writeCsv(String name, List<String> dataRows) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    lines.addAll(dataRows);
    return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
  }

  private static void assertSameImages(LabelledImages expected, LabelledImages actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.label(i), actual.label(i), "label of image " + i);
      assertArrayEquals(expected.image(i), actual.image(i), "image " + i);
    }
    assertEquals(expected.sha256(), actual.sha256());
  }

  private static List<String> digests(LabelledImages set) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      out.add(set.label(i) + ":" + Arrays.hashCode(set.image(i)));
    }
    return out;
  }

  @Test
  void csvAndFolderGiveTheSameTensors() {
    LabelledImages fromFolder = LabelledImages.fromFolder(folder, LabelSet.FER2013, InputContract.FER2013);
    LabelledImages fromCsv = LabelledImages.fromFer2013Csv(csv, null, LabelSet.FER2013, InputContract.FER2013);
    assertEquals(7 * PER_LABEL, fromFolder.size());
    assertSameImages(fromFolder, fromCsv);
    assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5}, fromCsv.counts());
    assertEquals(List.of(), fromFolder.skipped());
    assertEquals(List.of(), fromCsv.skipped());
    assertEquals(InputContract.FER2013.imageSize(), fromCsv.image(0).length);
    // real faces, not blanks: the images differ from each other
    assertEquals(7 * PER_LABEL, new HashSet<>(digests(fromCsv)).size());
  }

  @Test
  void csvUsageColumnPicksTheSplit() {
    LabelledImages publicTest =
        LabelledImages.fromFer2013Csv(csv, "PublicTest", LabelSet.FER2013, InputContract.FER2013);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1}, publicTest.counts());
    LabelledImages all = LabelledImages.fromFolder(folder, LabelSet.FER2013, InputContract.FER2013);
    for (int label = 0; label < 7; label++) {
      // the fifth image of each label
      assertArrayEquals(all.image(label * PER_LABEL + 4), publicTest.image(label));
    }
    assertEquals(7 * 4, LabelledImages.fromFer2013Csv(csv, "Training", LabelSet.FER2013, InputContract.FER2013)
        .size());
  }

  @Test
  void thePapersFourLabelsDropTheOtherFoldersAndRows() {
    LabelledImages seven = LabelledImages.fromFolder(folder, LabelSet.FER2013, InputContract.FER2013);
    LabelledImages fromFolder = LabelledImages.fromFolder(folder, LabelSet.PAPER_FOUR, InputContract.FER2013);
    LabelledImages fromCsv = LabelledImages.fromFer2013Csv(csv, null, LabelSet.PAPER_FOUR, InputContract.FER2013);
    assertEquals(4 * PER_LABEL, fromFolder.size());
    assertArrayEquals(new int[] {5, 5, 5, 5}, fromFolder.counts());
    assertSameImages(fromFolder, fromCsv);
    assertEquals(LabelSet.PAPER_FOUR, fromCsv.labels());
    // the kept images are FER2013's angry, happy, neutral and sad, relabelled 0..3
    int[] fer = {0, 3, 4, 5};
    for (int label = 0; label < 4; label++) {
      for (int k = 0; k < PER_LABEL; k++) {
        assertEquals(label, fromCsv.label(label * PER_LABEL + k));
        assertArrayEquals(seven.image(fer[label] * PER_LABEL + k), fromCsv.image(label * PER_LABEL + k));
      }
    }
  }

  @Test
  void splitIsDeterministicAndStratified() {
    LabelledImages all = LabelledImages.fromFer2013Csv(csv, null, LabelSet.FER2013, InputContract.FER2013);
    List<LabelledImages> a = all.split(0.4, 42);
    List<LabelledImages> b = all.split(0.4, 42);
    assertSameImages(a.get(0), b.get(0));
    assertSameImages(a.get(1), b.get(1));

    // stratified: round(5 * 0.4) = 2 of each label to validation, 3 to training
    assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3, 3}, a.get(0).counts());
    assertArrayEquals(new int[] {2, 2, 2, 2, 2, 2, 2}, a.get(1).counts());

    // a partition of the whole set
    List<String> union = new ArrayList<>(digests(a.get(0)));
    union.addAll(digests(a.get(1)));
    assertEquals(new HashSet<>(digests(all)), new HashSet<>(union));
    assertEquals(all.size(), union.size());
    Set<String> train = new HashSet<>(digests(a.get(0)));
    assertTrue(digests(a.get(1)).stream().noneMatch(train::contains), "validation overlaps training");

    // another seed, another draw
    assertNotEquals(digests(a.get(1)), digests(all.split(0.4, 7).get(1)));
  }

  @Test
  void anUnreadableFileIsSkippedAndCounted() throws IOException {
    Path broken = dir.resolve("broken");
    for (Path image : sample.subList(0, 2 * PER_LABEL)) { // angry and disgust
      Path copy = broken.resolve(image.getParent().getFileName().toString()).resolve(image.getFileName().toString());
      Files.createDirectories(copy.getParent());
      Files.copy(image, copy);
    }
    Path bad = Files.writeString(broken.resolve("angry").resolve("zz-not-a-face.jpg"), "not a JPEG");
    LabelledImages set = LabelledImages.fromFolder(broken, LabelSet.FER2013, InputContract.FER2013);
    assertEquals(2 * PER_LABEL, set.size());
    assertArrayEquals(new int[] {5, 5, 0, 0, 0, 0, 0}, set.counts());
    assertEquals(1, set.skipped().size(), set.skipped()::toString);
    assertTrue(set.skipped().get(0).contains(bad.toString()), set.skipped().get(0));
    assertEquals(1, set.describe().get("skipped"));

    List<String> badRows = new ArrayList<>(rows.subList(0, 3));
    badRows.add(1, row(0, "1 2 3", "Training"));
    LabelledImages fromCsv = LabelledImages.fromFer2013Csv(writeCsv("bad-row.csv", badRows), null,
        LabelSet.FER2013, InputContract.FER2013);
    assertEquals(3, fromCsv.size());
    assertEquals(1, fromCsv.skipped().size());
    assertTrue(fromCsv.skipped().get(0).contains("row 3: 3 pixels instead of 2304"), fromCsv.skipped().get(0));
  }

  @Test
  void describeHasPerLabelCountsAndAHashThatFollowsTheLabels() throws IOException {
    LabelledImages set = LabelledImages.fromFer2013Csv(csv, null, LabelSet.PAPER_FOUR, InputContract.FER2013);
    Map<String, Object> d = set.describe();
    assertEquals(List.of("name", "images", "per-label", "skipped", "sha256"), List.copyOf(d.keySet()));
    assertEquals(csv.toString(), d.get("name"));
    assertEquals(20, d.get("images"));
    assertEquals(Map.of("angry", 5, "happy", 5, "neutral", 5, "sad", 5), d.get("per-label"));
    assertEquals(List.of("angry", "happy", "neutral", "sad"),
        List.copyOf(((Map<?, ?>) d.get("per-label")).keySet()));
    assertEquals(0, d.get("skipped"));
    String sha = (String) d.get("sha256");
    assertTrue(sha.matches("[0-9a-f]{64}"), sha);
    assertEquals(set.sha256(), sha);

    // the same content again: the same hash
    Path copy = writeCsv("copy.csv", rows);
    assertEquals(sha, LabelledImages.fromFer2013Csv(copy, null, LabelSet.PAPER_FOUR, InputContract.FER2013).sha256());

    // one angry image relabelled happy (FER2013 index 3): same pixels, another hash and other counts
    List<String> relabelled = new ArrayList<>(rows);
    assertTrue(relabelled.get(0).startsWith("0,"));
    relabelled.set(0, "3," + relabelled.get(0).substring(2));
    LabelledImages changed = LabelledImages.fromFer2013Csv(writeCsv("relabelled.csv", relabelled), null,
        LabelSet.PAPER_FOUR, InputContract.FER2013);
    assertNotEquals(sha, changed.sha256());
    assertEquals(Map.of("angry", 4, "happy", 6, "neutral", 5, "sad", 5), changed.describe().get("per-label"));
  }
}
