package io.github.emotion4j.zoo;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.model.ModelMetadata;
import io.github.emotion4j.model.ModelProvenance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads and writes {@code index.json}; every key is spelled once. */
final class ZooIndex {
  static final int FORMAT_VERSION = 1;
  static final String KEY_FORMAT_VERSION = "format-version";
  static final String KEY_MODELS = "models";
  static final String KEY_NAME = "name";
  static final String KEY_VERSION = "version";
  static final String KEY_FILE = "file";
  static final String KEY_SIZE = "size";
  static final String KEY_SHA256 = "sha256";
  static final String KEY_LABEL_SET = "label-set";
  static final String KEY_LABELS = "labels";
  static final String KEY_ARCHITECTURE = "architecture";
  static final String KEY_ACCURACY = "accuracy";
  static final String KEY_ORIGIN = "origin";

  static final String UNKNOWN = "unknown";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** An index row: the entry and its file, relative to the index. */
  record Row(ZooEntry entry, String file) {}

  private ZooIndex() {}

  /**
   * Parses an index. Each row's entry gets {@code source} and its file as location, to be resolved
   * by the caller.
   *
   * @throws IllegalArgumentException naming the source and the bad row
   */
  static List<Row> parse(String json, ModelSource source, String where) {
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + " is not a JSON object: " + e.getMessage(), e);
    }
    int version = root.has(KEY_FORMAT_VERSION) ? root.get(KEY_FORMAT_VERSION).getAsInt() : 1;
    if (version > FORMAT_VERSION) {
      throw new IllegalArgumentException(where + " has format-version " + version
          + "; this library reads at most " + FORMAT_VERSION + ". Upgrade emotion4j.");
    }
    JsonElement models = root.get(KEY_MODELS);
    if (models == null || !models.isJsonArray()) {
      throw new IllegalArgumentException(where + " has no \"" + KEY_MODELS + "\" array");
    }
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (JsonElement e : models.getAsJsonArray()) {
      try {
        rows.add(row(e.getAsJsonObject(), source));
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException(where + ", models[" + i + "]: " + ex.getMessage(), ex);
      }
      i++;
    }
    return rows;
  }

  /** Parses one row (also the form of a cache entry's {@code entry.json}). */
  static Row row(JsonObject o, ModelSource source) {
    String file = string(o, KEY_FILE, null);
    if (file == null) {
      throw new IllegalArgumentException("no \"" + KEY_FILE + "\"");
    }
    checkRelative(file);
    List<String> labels = new ArrayList<>();
    if (o.has(KEY_LABELS)) {
      o.getAsJsonArray(KEY_LABELS).forEach(l -> labels.add(l.getAsString()));
    }
    ZooEntry entry = new ZooEntry(
        string(o, KEY_NAME, null) == null ? missing(KEY_NAME) : o.get(KEY_NAME).getAsString(),
        string(o, KEY_VERSION, null) == null ? missing(KEY_VERSION) : o.get(KEY_VERSION).getAsString(),
        string(o, KEY_LABEL_SET, "custom"),
        labels,
        string(o, KEY_ARCHITECTURE, UNKNOWN),
        o.has(KEY_SIZE) ? o.get(KEY_SIZE).getAsLong() : -1,
        string(o, KEY_SHA256, null) == null ? missing(KEY_SHA256) : o.get(KEY_SHA256).getAsString(),
        o.has(KEY_ACCURACY) && !o.get(KEY_ACCURACY).isJsonNull()
            ? o.get(KEY_ACCURACY).getAsDouble() : Double.NaN,
        source,
        file);
    return new Row(entry, file);
  }

  /** Refuses a file name that is absolute or climbs out of the index's folder. */
  static void checkRelative(String file) {
    String f = file.replace('\\', '/');
    if (f.isEmpty() || f.startsWith("/") || f.contains(":") || f.contains("?") || f.contains("#")
        || Arrays.asList(f.split("/")).contains("..")) {
      throw new IllegalArgumentException("file \"" + file + "\" must be a relative path inside the"
          + " index's folder (no '..', no scheme or leading '/')");
    }
  }

  private static String missing(String key) {
    throw new IllegalArgumentException("no \"" + key + "\"");
  }

  private static String string(JsonObject o, String key, String dflt) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? dflt : e.getAsString();
  }

  /** Writes one row as a JSON object. */
  static JsonObject toJson(ZooEntry e, String file, String origin) {
    JsonObject o = new JsonObject();
    o.addProperty(KEY_NAME, e.name());
    o.addProperty(KEY_VERSION, e.version());
    o.addProperty(KEY_FILE, file);
    o.addProperty(KEY_SIZE, e.sizeBytes());
    o.addProperty(KEY_SHA256, e.sha256());
    o.addProperty(KEY_LABEL_SET, e.labelSet());
    JsonArray labels = new JsonArray();
    e.labels().forEach(labels::add);
    o.add(KEY_LABELS, labels);
    o.addProperty(KEY_ARCHITECTURE, e.architecture());
    if (e.hasAccuracy()) {
      o.addProperty(KEY_ACCURACY, e.accuracy());
    }
    if (origin != null) {
      o.addProperty(KEY_ORIGIN, origin);
    }
    return o;
  }

  /** Writes a whole index. */
  static String write(List<Row> rows) {
    JsonObject root = new JsonObject();
    root.addProperty(KEY_FORMAT_VERSION, FORMAT_VERSION);
    JsonArray models = new JsonArray();
    rows.forEach(r -> models.add(toJson(r.entry(), r.file(), null)));
    root.add(KEY_MODELS, models);
    return GSON.toJson(root) + "\n";
  }

  /** Writes one object. */
  static String write(JsonObject o) {
    return GSON.toJson(o) + "\n";
  }

  /** Describes a package read from a zip: architecture and accuracy from its provenance. */
  static ZooEntry describe(ModelMetadata m, long size, String sha256, ModelSource source,
      String location) {
    ModelProvenance p = m.provenance();
    Object arch = p.training().get("architecture");
    Object acc = p.metrics().get("accuracy");
    return new ZooEntry(m.name(), m.version(), m.labels().name(), m.labels().labels(),
        arch instanceof String s ? s : UNKNOWN, size, sha256,
        acc instanceof Number n ? n.doubleValue() : Double.NaN, source, location);
  }
}
