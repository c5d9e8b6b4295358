package io.github.emotion4j.spark;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.ModelPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies a DataFrame of images on Spark and returns it with the results as added columns:
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile")
 *     .option("recursiveFileLookup", "true").load("/data/faces");
 * LongAccumulator bad = EmotionSpark.badImageCounter(spark);
 * Dataset<Row> result = EmotionSpark.classify(images,
 *     SparkEmotionOptions.defaults().withBackend("native"), bad);
 * result.drop("content").write().parquet("/data/emotions.parquet");
 * }</pre>
 *
 * <p>Added columns, in this order: {@value #EMOTION} (the top label), one {@code double}
 * probability per label named {@value #PROBABILITY_PREFIX}{@code <label>} in the label set's order,
 * {@value #FACES} when faces are asked for (then the label and probabilities are the largest face's),
 * {@value #BACKEND}, {@value #MODEL}, {@value #MODEL_VERSION} and {@value #ERROR}. A row whose image
 * could not be read or decoded has nulls for the label and probabilities and the reason in {@value
 * #ERROR}; the job goes on, and the counter (if given) counts such rows.
 *
 * <p>Why {@code mapPartitions} and not a UDF: a UDF sees one row at a time, so the network would
 * run on batches of one and every call would look up the shared classifier; {@code mapPartitions}
 * gets the partition's iterator, so images are decoded and sent to the backend {@code batchSize} at a
 * time, the classifier is fetched once per task, and errors are caught per image while the batch
 * goes on. The model reaches each executor once, as a broadcast zip; each executor JVM builds one
 * classifier from it and shares it between its task threads, and closes it at JVM shutdown.
 *
 * <p>The input is read lazily: Spark runs the classification when an action (write, count,
 * collect) runs, and may run it again if the result is used twice uncached, so cache it or write it
 * once. The counter is only complete after an action, and counts again what a retried task or a
 * recomputation sees again; the error column is exact.
 *
 * @since 0.1
 */
public final class EmotionSpark {
  /** The column with the top label. */
  public static final String EMOTION = "emotion";
  /** The prefix of each label's probability column, e.g. {@code p_happy}. */
  public static final String PROBABILITY_PREFIX = "p_";
  /**
   * The column with every face found, when {@link SparkEmotionOptions#withFaces(boolean)} asked for
   * them: an array, largest face first, of structs {@code x, y, width, height} (the box in the
   * image's pixels), {@code confidence} (the detector's), {@value #EMOTION} and one {@value
   * #PROBABILITY_PREFIX}{@code <label>} per label; empty when the image shows no face.
   */
  public static final String FACES = "faces";
  /** The column with the backend that ran the network on the executor. */
  public static final String BACKEND = "emotion_backend";
  /** The column with the model's name. */
  public static final String MODEL = "emotion_model";
  /** The column with the model's version. */
  public static final String MODEL_VERSION = "emotion_model_version";
  /** The column with the reason an image was not classified, null when it was. */
  public static final String ERROR = "emotion_error";

  private static final Logger log = LoggerFactory.getLogger(EmotionSpark.class);
  private static final List<String> INPUT_CANDIDATES = List.of("content", "image", "path");

  private EmotionSpark() {}

  /**
   * Creates and registers a counter of rows whose image could not be classified, to pass to
   * {@link #classify(Dataset, SparkEmotionOptions, LongAccumulator)}.
   *
   * @param spark the session
   * @return a new counter named {@code emotion4j.bad-images}
   */
  public static LongAccumulator badImageCounter(SparkSession spark) {
    return spark.sparkContext().longAccumulator("emotion4j.bad-images");
  }

  /**
   * Classifies every row's image; see the class comment for the columns added.
   *
   * @param images rows with a binary column of encoded images or a string column of paths
   * @param options backend, device, model, labels, batch size and input column
   * @return the rows with the result columns appended (lazy, like any Spark transformation)
   * @throws IllegalArgumentException if no usable input column exists
   */
  public static Dataset<Row> classify(Dataset<Row> images, SparkEmotionOptions options) {
    return classify(images, options, null);
  }

  /**
   * Classifies every row's image, counting the rows that could not be classified.
   *
   * @param images rows with a binary column of encoded images or a string column of paths
   * @param options backend, device, model, labels, batch size and input column
   * @param badImages a counter from {@link #badImageCounter(SparkSession)}, or null
   * @return the rows with the result columns appended (lazy, like any Spark transformation)
   * @throws IllegalArgumentException if no usable input column exists
   * @throws io.github.emotion4j.Emotion4jException if the model cannot be resolved on the driver
   */
  public static Dataset<Row> classify(
      Dataset<Row> images, SparkEmotionOptions options, LongAccumulator badImages) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(options, "options");
    StructType schema = images.schema();
    String input = inputColumn(schema, options.inputColumn());
    StructField field = schema.apply(input);
    boolean binary = field.dataType() instanceof BinaryType;
    int nameIndex = Arrays.asList(schema.fieldNames()).indexOf("path");

    Prepared p = prepare(images.sparkSession(), options);
    LabelSet labels = p.labels();
    ModelPackage model = p.model();
    ClassifierSpec spec = p.spec();
    log.info("emotion4j on Spark: {} over column \"{}\" ({}), model {}", options, input,
        binary ? "image bytes" : "paths", spec.modelKey());

    ResultColumns columns = new ResultColumns(labels.labels(), options.faces());
    StructType out = columns.appendTo(schema)
        .add(BACKEND, DataTypes.StringType, true)
        .add(MODEL, DataTypes.StringType, false)
        .add(MODEL_VERSION, DataTypes.StringType, false)
        .add(ERROR, DataTypes.StringType, true);
    PartitionClassifier fn = new PartitionClassifier(spec, schema.fieldIndex(input), binary,
        nameIndex, columns, model.metadata().name(), model.metadata().version(), badImages);
    return images.mapPartitions(fn, Encoders.row(out));
  }

  /**
   * Registers a Spark SQL function {@code name(image BINARY)} that returns a struct of {@value
   * #EMOTION}, one {@value #PROBABILITY_PREFIX}{@code <label>} per label, {@value #FACES} when faces
   * are asked for, and {@value #ERROR}, for
   * SQL users:
   * {@code SELECT path, emotion4j(content).emotion FROM images}. It classifies one row per call (no
   * batching) with the same per-executor classifier as {@link #classify(Dataset,
   * SparkEmotionOptions)}, which is the faster way from Java or Scala.
   *
   * @param spark the session
   * @param name the function's name, e.g. {@code "emotion4j"}
   * @param options backend, device, model, labels and faces (batch size and input column are unused)
   * @throws io.github.emotion4j.Emotion4jException if the model cannot be resolved on the driver
   */
  public static void registerFunction(SparkSession spark, String name, SparkEmotionOptions options) {
    Objects.requireNonNull(name, "name");
    Prepared p = prepare(spark, Objects.requireNonNull(options, "options"));
    ResultColumns columns = new ResultColumns(p.labels().labels(), options.faces());
    StructType type = columns.appendTo(new StructType()).add(ERROR, DataTypes.StringType, true);
    spark.udf().register(name, new RowFunction(p.spec(), columns), type);
    log.info("emotion4j on Spark: SQL function {}(image) registered with {}", name, options);
  }

  /** The driver's side of a classification: model resolved, broadcast, and the executors' spec. */
  private record Prepared(ModelPackage model, LabelSet labels, ClassifierSpec spec) {}

  private static Prepared prepare(SparkSession spark, SparkEmotionOptions options) {
    ModelPackage model = options.resolveModel();
    LabelSet labels = options.labels() != null ? options.labels() : model.labels();
    if (!model.labels().containsAll(labels)) {
      throw new IllegalArgumentException("Cannot view model \"" + model.metadata().name()
          + "\" with labels " + model.labels().labels() + " as " + labels.labels());
    }
    byte[] zip = zipBytes(model);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> modelZip = jsc.broadcast(zip);
    String modelKey = model.metadata().name() + ":" + model.metadata().version() + "@"
        + model.metadata().weightsSha256();
    ClassifierSpec spec = new ClassifierSpec(options.backend(), options.device(), modelKey,
        modelZip, options.labels() == null ? null : labels.name(),
        options.labels() == null ? null : new ArrayList<>(labels.labels()), options.batchSize());
    log.debug("Model {} broadcast as {} bytes", modelKey, zip.length);
    return new Prepared(model, labels, spec);

  }

  private static String inputColumn(StructType schema, String wanted) {
    List<String> names = Arrays.asList(schema.fieldNames());
    if (wanted != null) {
      if (!names.contains(wanted)) {
        throw new IllegalArgumentException(
            "No column \"" + wanted + "\" to read images from; columns: " + names);
      }
      StructField f = schema.apply(wanted);
      if (!(f.dataType() instanceof BinaryType) && !(f.dataType() instanceof StringType)) {
        throw new IllegalArgumentException("Column \"" + wanted + "\" is " + f.dataType()
            + "; images must be a binary column (encoded bytes) or a string column (paths)");
      }
      return wanted;
    }
    for (String c : INPUT_CANDIDATES) {
      if (names.contains(c)) {
        StructField f = schema.apply(c);
        if (f.dataType() instanceof BinaryType || f.dataType() instanceof StringType) {
          return c;
        }
      }
    }
    throw new IllegalArgumentException("No image column found among " + names
        + ": expected \"content\" (Spark's binaryFile source), \"image\" or \"path\", or name one"
        + " with SparkEmotionOptions.withInputColumn");
  }

  private static byte[] zipBytes(ModelPackage model) {
    try {
      Path dir = Files.createTempDirectory("emotion4j-spark-");
      Path zip = dir.resolve("model.zip");
      try {
        model.save(zip);
        return Files.readAllBytes(zip);
      } finally {
        Files.deleteIfExists(zip);
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not package the model for broadcast: " + e, e);
    }
  }

  /** Returns how many classifiers this JVM has loaded; in local mode, the executors' count. */
  static int classifierLoadsInThisJvm() {
    return ExecutorClassifiers.loads();
  }
}
