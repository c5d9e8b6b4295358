package io.github.emotion4j.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;

/**
 * A ready-made Spark job: classifies every image under a folder tree and writes one row per image
 * (path, size, top emotion, probabilities, backend, model, error) as Parquet or CSV, then prints a
 * per-label summary and the throughput. Run it with {@code spark-submit} (see {@code docs/SPARK.md}):
 *
 * <pre>
 * spark-submit --class io.github.emotion4j.spark.ClassifyFolderJob --jars emotion4j-api.jar,... \
 *     emotion4j-spark.jar /data/faces /data/emotions.parquet [--format csv] [--backend native]
 *     [--batch-size 32] [--partitions N] [--glob '*.jpg'] [--faces]
 * </pre>
 *
 * <p>{@code --faces} finds the faces in each image first (a face detector such as {@code
 * emotion4j-faces-yunet} must be on the class path) and adds the {@value EmotionSpark#FACES} column,
 * written as JSON text in CSV output.
 *
 * <p>Without a master from {@code spark-submit} it runs on {@code local[*]}; {@code --master}
 * overrides both.
 *
 * @since 0.1
 */
public final class ClassifyFolderJob {

  private ClassifyFolderJob() {}

  /**
   * Runs the job.
   *
   * @param args {@code INPUT OUTPUT [--format parquet|csv] [--backend NAME] [--model NAME]
   *     [--batch-size N] [--partitions N] [--glob PATTERN] [--master URL] [--faces]}
   */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: ClassifyFolderJob INPUT OUTPUT [--format parquet|csv]"
          + " [--backend NAME] [--model NAME] [--batch-size N] [--partitions N] [--glob PATTERN]"
          + " [--master URL] [--faces]");
      System.exit(2);
    }
    String input = args[0];
    String output = args[1];
    String format = "parquet";
    String master = null;
    String glob = null;
    int partitions = 0;
    SparkEmotionOptions options = SparkEmotionOptions.defaults();
    for (int i = 2; i < args.length; i += 2) {
      if (args[i].equals("--faces")) {
        options = options.withFaces(true);
        i--; // a flag, no value
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + args[i] + " needs a value");
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--format" -> format = v.toLowerCase(Locale.ROOT);
        case "--backend" -> options = options.withBackend(v);
        case "--model" -> options = options.withModel(v);
        case "--batch-size" -> options = options.withBatchSize(Integer.parseInt(v));
        case "--partitions" -> partitions = Integer.parseInt(v);
        case "--glob" -> glob = v;
        case "--master" -> master = v;
        default -> throw new IllegalArgumentException("Unknown option " + args[i]);
      }
    }
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("--format must be parquet or csv, got " + format);
    }

    SparkSession.Builder b = SparkSession.builder().appName("emotion4j-classify-folder");
    if (master != null) {
      b.master(master);
    } else if (!new org.apache.spark.SparkConf().contains("spark.master")) {
      b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    try {
      run(spark, input, output, format, options, partitions, glob);
    } finally {
      spark.stop();
    }
  }

  /** Classifies, writes, prints the summary; returns how many rows were written. */
  static long run(SparkSession spark, String input, String output, String format,
      SparkEmotionOptions options, int partitions, String glob) {
    var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
    if (glob != null) {
      reader = reader.option("pathGlobFilter", glob);
    }
    Dataset<Row> images = reader.load(input);
    if (partitions > 0) {
      images = images.repartition(partitions);
    }
    LongAccumulator bad = EmotionSpark.badImageCounter(spark);
    Dataset<Row> result = EmotionSpark.classify(images, options, bad)
        .drop("content", "modificationTime");
    if (options.faces() && format.equals("csv")) { // CSV holds no nested columns
      result = result.withColumn(EmotionSpark.FACES,
          functions.to_json(functions.col(EmotionSpark.FACES)));
    }

    long start = System.nanoTime();
    var writer = result.write().mode(SaveMode.Overwrite);
    if (format.equals("csv")) {
      writer.option("header", "true").csv(output);
    } else {
      writer.parquet(output);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    Dataset<Row> written = format.equals("csv")
        ? spark.read().option("header", "true").csv(output) : spark.read().parquet(output);
    List<Row> counts = written.groupBy(EmotionSpark.EMOTION).count()
        .orderBy(EmotionSpark.EMOTION).collectAsList();
    long total = 0;
    System.out.println("emotion      images");
    for (Row r : counts) {
      String label = r.isNullAt(0) ? "(error)" : r.getString(0);
      System.out.printf(Locale.ROOT, "%-12s %d%n", label, r.getLong(1));
      total += r.getLong(1);
    }
    System.out.printf(Locale.ROOT,
        "%d images (%d unreadable) in %.1f s: %.1f images/s on %s, %d partitions; wrote %s%n",
        total, bad.value(), seconds, total / seconds, spark.sparkContext().master(),
        images.rdd().getNumPartitions(), output);
    return total;
  }
}
