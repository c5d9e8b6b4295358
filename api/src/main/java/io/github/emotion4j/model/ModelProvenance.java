package io.github.emotion4j.model;

import io.github.emotion4j.internal.Versions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a model came from: how and on what it was trained, with which library, engine and platform,
 * and how well it scored. Required in every {@link ModelPackage}; written as the {@code provenance}
 * object of {@code emotion-model.json} with the kebab-case keys below, so it can be read without the
 * library. Fields that an older package lacks read as {@link #UNKNOWN}.
 *
 * <p>The free-form parts ({@code dataset}, {@code training}, {@code metrics}) are deep-copied into
 * unmodifiable maps and lists of strings, booleans, {@code Long} (whole numbers of any integer type)
 * and {@code Double} (float or double), exactly as they read back from JSON, so a package's
 * provenance is equal to itself after a save and load.
 *
 * @param source {@link #SOURCE_TRAINED}, {@link #SOURCE_EXTERNAL} (imported, e.g. TorchScript) or
 *     {@link #SOURCE_UNTRAINED} (initial weights, as in tests)
 * @param trainedAt when the weights were made, ISO-8601 UTC
 * @param emotion4jVersion the library version that made them
 * @param backend the emotion4j backend that trained them
 * @param engine the engine under that backend, e.g. {@code PyTorch}
 * @param engineVersion the engine's version
 * @param javaVersion {@code java.version}
 * @param osName {@code os.name}
 * @param osArch {@code os.arch}: float results can differ across platforms
 * @param dataset data set name, split, per-label counts, content hash and augmentations in order
 * @param training the whole training configuration, seed, epochs and resume point
 * @param metrics evaluation results, e.g. {@code accuracy}, {@code macro-f1} and the {@code split}
 * @param externalSha256 for imported models, the sha256 of the imported file; else empty
 * @since 0.1
 */
public record ModelProvenance(
    String source,
    String trainedAt,
    String emotion4jVersion,
    String backend,
    String engine,
    String engineVersion,
    String javaVersion,
    String osName,
    String osArch,
    Map<String, Object> dataset,
    Map<String, Object> training,
    Map<String, Object> metrics,
    String externalSha256) {

  /** The value of a field the package does not record. */
  public static final String UNKNOWN = "unknown";
  /** Weights produced by emotion4j's training facade. */
  public static final String SOURCE_TRAINED = "trained";
  /** Weights imported from a file made elsewhere. */
  public static final String SOURCE_EXTERNAL = "external";
  /** Initial (untrained) weights. */
  public static final String SOURCE_UNTRAINED = "untrained";

  static final String KEY_SOURCE = "source";
  static final String KEY_TRAINED_AT = "trained-at";
  static final String KEY_EMOTION4J_VERSION = "emotion4j-version";
  static final String KEY_BACKEND = "backend";
  static final String KEY_ENGINE = "engine";
  static final String KEY_ENGINE_VERSION = "engine-version";
  static final String KEY_JAVA_VERSION = "java-version";
  static final String KEY_OS_NAME = "os-name";
  static final String KEY_OS_ARCH = "os-arch";
  static final String KEY_DATASET = "dataset";
  static final String KEY_TRAINING = "training";
  static final String KEY_METRICS = "metrics";
  static final String KEY_EXTERNAL_SHA256 = "external-sha256";

  /** Validates and deep-copies the values. */
  public ModelProvenance {
    source = orUnknown(source);
    trainedAt = orUnknown(trainedAt);
    emotion4jVersion = orUnknown(emotion4jVersion);
    backend = orUnknown(backend);
    engine = orUnknown(engine);
    engineVersion = orUnknown(engineVersion);
    javaVersion = orUnknown(javaVersion);
    osName = orUnknown(osName);
    osArch = orUnknown(osArch);
    dataset = immutableTree(dataset);
    training = immutableTree(training);
    metrics = immutableTree(metrics);
    externalSha256 = externalSha256 == null ? "" : externalSha256;
  }

  /**
   * Provenance for weights made now on this machine, with the environment filled in.
   *
   * @param source one of the {@code SOURCE_} constants
   * @param backend the emotion4j backend
   * @param engine the engine name
   * @param engineVersion the engine version
   * @return provenance with empty data set, training and metrics parts
   */
  public static ModelProvenance now(
      String source, String backend, String engine, String engineVersion) {
    return new ModelProvenance(
        source,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        Versions.emotion4j(),
        backend,
        engine,
        engineVersion,
        System.getProperty("java.version"),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Map.of(),
        Map.of(),
        Map.of(),
        "");
  }

  /**
   * Returns a copy with other data set details.
   *
   * @param newDataset the data set part
   * @return the copy
   */
  public ModelProvenance withDataset(Map<String, Object> newDataset) {
    return new ModelProvenance(source, trainedAt, emotion4jVersion, backend, engine, engineVersion,
        javaVersion, osName, osArch, newDataset, training, metrics, externalSha256);
  }

  /**
   * Returns a copy with other training details.
   *
   * @param newTraining the training part
   * @return the copy
   */
  public ModelProvenance withTraining(Map<String, Object> newTraining) {
    return new ModelProvenance(source, trainedAt, emotion4jVersion, backend, engine, engineVersion,
        javaVersion, osName, osArch, dataset, newTraining, metrics, externalSha256);
  }

  /**
   * Returns a copy with other metrics.
   *
   * @param newMetrics the metrics part
   * @return the copy
   */
  public ModelProvenance withMetrics(Map<String, Object> newMetrics) {
    return new ModelProvenance(source, trainedAt, emotion4jVersion, backend, engine, engineVersion,
        javaVersion, osName, osArch, dataset, training, newMetrics, externalSha256);
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? UNKNOWN : s;
  }

  /** Copies a JSON-like tree (maps, lists, strings, numbers, booleans) into unmodifiable form. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> immutableTree(Map<String, ?> map) {
    if (map == null) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), immutableValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  /**
   * Describes the provenance in one short line: source, when, library, engine, data set name and
   * the top-level figures of the metrics. The training configuration and history, which can run to
   * kilobytes, are left to the accessors.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    Map<String, Object> figures = new LinkedHashMap<>();
    metrics.forEach((k, v) -> {
      if (!(v instanceof Map<?, ?>) && !(v instanceof List<?>)) {
        figures.put(k, v);
      }
    });
    return "ModelProvenance[" + source + " " + trainedAt + ", emotion4j " + emotion4jVersion + ", "
        + backend + "/" + engine + " " + engineVersion + ", dataset " + dataset.getOrDefault("name", UNKNOWN)
        + ", metrics " + figures + "]";
  }

  @SuppressWarnings("unchecked")
  private static Object immutableValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return immutableTree((Map<String, ?>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> copy = new ArrayList<>();
      l.forEach(x -> copy.add(immutableValue(x)));
      return Collections.unmodifiableList(copy);
    }
    // Numbers are widened the way the JSON reader returns them (whole numbers as Long, others as
    // Double), so that provenance equals itself after a round trip through emotion-model.json.
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }
}
