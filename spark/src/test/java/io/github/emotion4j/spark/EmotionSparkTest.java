package io.github.emotion4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.face.FaceEmotionAnalyzer;
import io.github.emotion4j.face.FaceResult;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.testing.TestData;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** local[2]: results equal the single-machine classifier's, bad files give error rows, one load. */
class EmotionSparkTest {
  /** Every test uses these options, so the JVM must build exactly one classifier. */
  static final SparkEmotionOptions OPTIONS =
      SparkEmotionOptions.defaults().withBackend("native").withBatchSize(16);

  static SparkSession spark;
  static List<Path> sample;
  static Map<String, EmotionScores> expected;

  @BeforeAll
  static void start() {
    sample = TestData.fer2013Sample("test", 29); // 7 labels x 29 = 203 images
    expected = new HashMap<>();
    try (EmotionClassifier single = EmotionClassifier.builder().backend("native").build()) {
      for (Path p : sample) {
        expected.put(p.toUri().getPath(), single.classify(p));
      }
    }
    spark = SparkSession.builder().master("local[2]").appName("emotion4j-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static String localPath(Row row) {
    return java.net.URI.create(row.<String>getAs("path")).getPath();
  }

  @Test
  void binaryFilesGiveTheSingleMachineScores() {
    Dataset<Row> images = spark.read().format("binaryFile")
        .load(sample.stream().map(Path::toString).toArray(String[]::new))
        .repartition(4);
    LongAccumulator bad = EmotionSpark.badImageCounter(spark);
    List<Row> rows = EmotionSpark.classify(images, OPTIONS, bad).drop("content").collectAsList();

    assertEquals(sample.size(), rows.size());
    assertEquals(0L, bad.value());
    List<String> labels = LabelSet.FER2013.labels();
    for (Row row : rows) {
      EmotionScores want = expected.get(localPath(row));
      assertNotNull(want, row.toString());
      assertNull(row.getAs(EmotionSpark.ERROR), row.toString());
      assertEquals(want.top().label(), row.getAs(EmotionSpark.EMOTION));
      for (int i = 0; i < labels.size(); i++) {
        double got = row.<Double>getAs(EmotionSpark.PROBABILITY_PREFIX + labels.get(i));
        assertEquals(want.probabilities().get(i), got, 1e-6, labels.get(i) + " of " + row);
      }
      assertEquals("native", row.getAs(EmotionSpark.BACKEND));
      assertEquals("fer2013-vgg-bn", row.getAs(EmotionSpark.MODEL));
      assertNotNull(row.getAs(EmotionSpark.MODEL_VERSION));
    }
  }

  @Test
  void aColumnOfPathsWorksToo(@TempDir Path dir) throws Exception {
    Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
    List<String> paths = new java.util.ArrayList<>(
        sample.subList(0, 20).stream().map(Path::toString).toList());
    paths.add(empty.toString());
    paths.add(dir.resolve("missing.jpg").toString());
    Dataset<Row> images = spark.createDataset(paths, Encoders.STRING()).toDF("path");
    LongAccumulator bad = EmotionSpark.badImageCounter(spark);
    List<Row> rows = EmotionSpark.classify(images, OPTIONS, bad).collectAsList();
    assertEquals(22, rows.size());
    assertEquals(2L, bad.value());
    for (Row row : rows) {
      EmotionScores want = expected.get(row.<String>getAs("path"));
      if (want == null) {
        assertNotNull(row.getAs(EmotionSpark.ERROR), row.toString());
        assertNull(row.getAs(EmotionSpark.EMOTION));
        continue;
      }
      assertNull(row.getAs(EmotionSpark.ERROR), row.toString());
      assertEquals(want.probabilities().get(3), row.<Double>getAs("p_happy"), 1e-6);
    }
  }

  @Test
  void badFilesGiveErrorRowsAndTheJobSucceeds(@TempDir Path dir) throws Exception {
    for (Path p : sample.subList(0, 10)) {
      Files.copy(p, dir.resolve(p.getParent().getFileName() + "-" + p.getFileName()));
    }
    Files.write(dir.resolve("empty.jpg"), new byte[0]);
    Files.writeString(dir.resolve("notes.png"), "not an image at all\n", StandardCharsets.UTF_8);
    byte[] jpeg = Files.readAllBytes(sample.get(0));
    Files.write(dir.resolve("truncated.jpg"), java.util.Arrays.copyOf(jpeg, 40));
    // WebP, one of them named .jpg, is read by its content: not an error, and scored as the PNG
    for (String name : List.of("face.png", "face-webp-named.jpg", "face-lossless.webp")) {
      Files.write(dir.resolve(name), TestData.imageFormat(name));
    }

    LongAccumulator bad = EmotionSpark.badImageCounter(spark);
    Dataset<Row> images = spark.read().format("binaryFile").load(dir.toString());
    List<Row> rows = EmotionSpark.classify(images, OPTIONS, bad).drop("content").collectAsList();

    // Spark's file sources skip empty files, so empty.jpg never becomes a row (see the path test)
    assertEquals(15, rows.size());
    assertEquals(2L, bad.value());
    java.util.Map<String, String> formats = new java.util.HashMap<>();
    rows.forEach(r -> formats.put(Path.of(localPath(r)).getFileName().toString(), r.getAs(EmotionSpark.EMOTION)));
    assertNotNull(formats.get("face.png"));
    assertEquals(formats.get("face.png"), formats.get("face-webp-named.jpg"));
    assertEquals(formats.get("face.png"), formats.get("face-lossless.webp"));
    for (Row row : rows) {
      String name = Path.of(localPath(row)).getFileName().toString();
      boolean broken = List.of("empty.jpg", "notes.png", "truncated.jpg").contains(name);
      if (broken) {
        assertNotNull(row.getAs(EmotionSpark.ERROR), name);
        assertTrue(row.<String>getAs(EmotionSpark.ERROR).contains(name), row.toString());
        assertNull(row.getAs(EmotionSpark.EMOTION));
        assertNull(row.getAs("p_happy"));
      } else {
        assertNull(row.getAs(EmotionSpark.ERROR), row.toString());
        assertNotNull(row.getAs(EmotionSpark.EMOTION));
      }
    }
  }

  @Test
  void theModelIsLoadedOncePerExecutorJvm() {
    Dataset<Row> images = spark.read().format("binaryFile")
        .load(sample.subList(0, 24).stream().map(Path::toString).toArray(String[]::new))
        .repartition(6);
    assertEquals(24, EmotionSpark.classify(images, OPTIONS).count());
    assertEquals(24, EmotionSpark.classify(images, OPTIONS).filter("emotion_error IS NULL").count());
    // local mode: driver and executor share this JVM; 6 tasks, 2 jobs, 2 broadcasts, 1 load
    assertEquals(1, EmotionSpark.classifierLoadsInThisJvm());
  }

  @Test
  void theSqlFunctionGivesTheSameScores(@TempDir Path dir) throws Exception {
    for (Path p : sample.subList(100, 108)) {
      Files.copy(p, dir.resolve(p.getFileName()));
    }
    Files.writeString(dir.resolve("notes.png"), "not an image at all\n", StandardCharsets.UTF_8);
    EmotionSpark.registerFunction(spark, "emotion4j", OPTIONS);
    spark.read().format("binaryFile").load(dir.toString()).createOrReplaceTempView("faces");
    List<Row> rows = spark.sql("SELECT path, emotion4j(content) AS r FROM faces").collectAsList();
    assertEquals(9, rows.size());
    Map<String, EmotionScores> byName = new HashMap<>();
    for (Path p : sample.subList(100, 108)) {
      byName.put(p.getFileName().toString(), expected.get(p.toUri().getPath()));
    }
    for (Row row : rows) {
      Row r = row.getStruct(1);
      EmotionScores want = byName.get(Path.of(localPath(row)).getFileName().toString());
      if (want == null) {
        assertNull(r.getAs(EmotionSpark.EMOTION));
        assertNotNull(r.getAs(EmotionSpark.ERROR));
        continue;
      }
      assertNull(r.getAs(EmotionSpark.ERROR));
      assertEquals(want.top().label(), r.getAs(EmotionSpark.EMOTION));
      assertEquals(want.probabilities().get(0), r.<Double>getAs("p_angry"), 1e-6);
      assertEquals(want.probabilities().get(6), r.<Double>getAs("p_surprise"), 1e-6);
    }
  }

  @Test
  void facesAreFoundAndEachIsClassifiedWhenAsked(@TempDir Path dir) throws Exception {
    List<Path> crops;
    try (var files = Files.list(TestData.otherFaces())) {
      crops = files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(6).toList();
    }
    // photos of one and two faces on a soft background, one with none, one broken file
    for (int i = 0; i < 4; i++) {
      BufferedImage a = ImageIO.read(crops.get(i).toFile());
      BufferedImage b = ImageIO.read(crops.get(i + 1).toFile());
      BufferedImage photo = i % 2 == 0 ? compose(a) : compose(a, b);
      ImageIO.write(photo, "png", dir.resolve("photo" + i + ".png").toFile());
    }
    ImageIO.write(compose(), "png", dir.resolve("nobody.png").toFile());
    Files.writeString(dir.resolve("notes.png"), "not an image at all\n", StandardCharsets.UTF_8);

    Map<String, List<FaceResult>> want = new HashMap<>();
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    try (EmotionClassifier single = EmotionClassifier.builder().backend("native").build();
        FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(single).build()) {
      try (var files = Files.list(dir)) {
        for (Path p : files.filter(f -> !f.endsWith("notes.png")).toList()) {
          want.put(p.getFileName().toString(), analyzer.analyze(decoder.decode(p)));
        }
      }
    }
    assertEquals(0, want.get("nobody.png").size());
    assertTrue(want.get("photo1.png").size() >= 2, "two faces expected: " + want.get("photo1.png"));

    LongAccumulator bad = EmotionSpark.badImageCounter(spark);
    Dataset<Row> images = spark.read().format("binaryFile").load(dir.toString()).repartition(2);
    Dataset<Row> result = EmotionSpark.classify(images, OPTIONS.withFaces(true), bad);
    List<Row> rows = result.drop("content").collectAsList();
    assertEquals(6, rows.size());
    assertEquals(1L, bad.value());
    List<String> labels = LabelSet.FER2013.labels();
    for (Row row : rows) {
      String name = Path.of(localPath(row)).getFileName().toString();
      List<FaceResult> expectedFaces = want.get(name);
      if (expectedFaces == null) {
        assertTrue(row.<String>getAs(EmotionSpark.ERROR).contains("notes.png"), row.toString());
        assertNull(row.getAs(EmotionSpark.FACES));
        continue;
      }
      assertNull(row.getAs(EmotionSpark.ERROR), row.toString());
      List<Row> faces = row.getList(row.fieldIndex(EmotionSpark.FACES));
      assertEquals(expectedFaces.size(), faces.size(), name);
      for (int f = 0; f < faces.size(); f++) {
        Row face = faces.get(f);
        FaceResult e = expectedFaces.get(f);
        assertEquals(e.box(), new FaceBox(face.getAs("x"), face.getAs("y"), face.getAs("width"),
            face.getAs("height")), name);
        assertEquals(e.confidence(), face.<Double>getAs("confidence"), 1e-6);
        assertEquals(e.scores().top().label(), face.getAs(EmotionSpark.EMOTION));
        for (int l = 0; l < labels.size(); l++) {
          assertEquals(e.scores().probabilities().get(l),
              face.<Double>getAs(EmotionSpark.PROBABILITY_PREFIX + labels.get(l)), 1e-6);
        }
      }
      // the row's own label is the largest face's, or null when there is no face
      assertEquals(expectedFaces.isEmpty() ? null : expectedFaces.get(0).scores().top().label(),
          row.getAs(EmotionSpark.EMOTION), name);
    }

    // the SQL function gives the same faces
    EmotionSpark.registerFunction(spark, "emotion4j_faces", OPTIONS.withFaces(true));
    spark.read().format("binaryFile").load(dir.resolve("photo1.png").toString())
        .createOrReplaceTempView("photo1");
    Row sql = spark.sql("SELECT emotion4j_faces(content) AS r FROM photo1").first().getStruct(0);
    List<Row> sqlFaces = sql.getList(sql.fieldIndex(EmotionSpark.FACES));
    assertEquals(want.get("photo1.png").size(), sqlFaces.size());
    assertEquals(want.get("photo1.png").get(0).scores().probabilities().get(3),
        sqlFaces.get(0).<Double>getAs("p_happy"), 1e-6);

    // the job writes the faces into CSV as JSON text
    Path out = dir.resolve("out");
    assertEquals(6, ClassifyFolderJob.run(spark, dir.toString(), out.toString(), "csv",
        OPTIONS.withFaces(true), 2, "*.png"));
    List<Row> csv = spark.read().option("header", "true").csv(out.toString())
        .filter("path LIKE '%photo1.png'").collectAsList();
    assertEquals(1, csv.size());
    String json = csv.get(0).getAs(EmotionSpark.FACES);
    assertTrue(json.startsWith("[{\"x\":") && json.split("\"width\"").length == 3, json);
  }

  /** The faces side by side, each with half its size of soft background around it. */
  private static BufferedImage compose(BufferedImage... faces) {
    int w = 200;
    int h = 200;
    for (BufferedImage f : faces) {
      w += f.getWidth() * 2;
      h = Math.max(h, f.getHeight() * 2);
    }
    BufferedImage photo = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 90 + 60 * (x + y) / (w + h);
        photo.setRGB(x, y, (v << 16) | ((v + 20) << 8) | (v + 40));
      }
    }
    Graphics2D g = photo.createGraphics();
    int x = 100;
    for (BufferedImage f : faces) {
      g.drawImage(f, x + f.getWidth() / 2, (h - f.getHeight()) / 2, null);
      x += f.getWidth() * 2;
    }
    g.dispose();
    return photo;
  }

  @Test
  void aMissingInputColumnIsNamed() {
    Dataset<Row> df = spark.range(3).toDF("id");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmotionSpark.classify(df, OPTIONS));
    assertTrue(e.getMessage().startsWith("No image column found among [id]"), e.getMessage());
  }
}
