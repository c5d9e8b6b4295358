package io.github.emotion4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    LongAccumulator bad = EmotionSpark.badImageCounter(spark);
    Dataset<Row> images = spark.read().format("binaryFile").load(dir.toString());
    List<Row> rows = EmotionSpark.classify(images, OPTIONS, bad).drop("content").collectAsList();

    // Spark's file sources skip empty files, so empty.jpg never becomes a row (see the path test)
    assertEquals(12, rows.size());
    assertEquals(2L, bad.value());
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
  void aMissingInputColumnIsNamed() {
    Dataset<Row> df = spark.range(3).toDF("id");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmotionSpark.classify(df, OPTIONS));
    assertTrue(e.getMessage().startsWith("No image column found among [id]"), e.getMessage());
  }
}
