package io.github.emotion4j.backend.tensorflow;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.InputContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What emotion4j needs to know about a TensorFlow SavedModel it did not build: its labels, its input
 * contract, the layout of its input tensor and whether it outputs logits or probabilities. Read from
 * a small JSON file (the sidecar) kept beside the SavedModel:
 *
 * <pre>{@code
 * {
 *   "format-version": 1,
 *   "name": "my-fer-model",
 *   "version": "3",
 *   "labels": ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"],
 *   "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5], "resize": "area"},
 *   "layout": "NHWC",
 *   "output": "probabilities",
 *   "signature": "serving_default",
 *   "input-name": "input_1",
 *   "output-name": "dense_2"
 * }
 * }</pre>
 *
 * <p>{@code layout} is {@code NCHW} (batch, channels, height, width) or {@code NHWC} (Keras's
 * default); {@code output} is {@code logits} or {@code probabilities}; {@code signature}, {@code
 * input-name} and {@code output-name} may be left out when the SavedModel has one signature input
 * and one output. {@code label-set} may name the labels' set (default {@code custom}). {@link
 * SavedModelExporter} writes such a file into every SavedModel it exports, as {@value
 * SavedModelExporter#SIDECAR_PATH}.
 *
 * @param name the model's name
 * @param version the model's version
 * @param labels the output labels, in the order of the model's outputs
 * @param input how images are preprocessed before the model
 * @param layout the input tensor's layout
 * @param output what the output tensor holds
 * @param signature the signature to run, e.g. {@code serving_default}
 * @param inputName the signature's input key, or empty to take its only input
 * @param outputName the signature's output key, or empty to take its only output
 * @since 0.1
 */
public record SavedModelSidecar(
    String name,
    String version,
    LabelSet labels,
    InputContract input,
    Layout layout,
    Output output,
    String signature,
    String inputName,
    String outputName) {

  /** The newest sidecar format this library reads and the one it writes. */
  public static final int FORMAT_VERSION = 1;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** The layout of the model's input tensor. */
  public enum Layout {
    /** Batch, channels, height, width (PyTorch's and emotion4j's order). */
    NCHW,
    /** Batch, height, width, channels (TensorFlow's and Keras's default). */
    NHWC
  }

  /** What the model's output tensor holds, one row per image. */
  public enum Output {
    /** Unnormalised scores; emotion4j applies softmax. */
    LOGITS,
    /** Probabilities that sum to 1 (the model ends in softmax). */
    PROBABILITIES
  }

  /** Validates the values. */
  public SavedModelSidecar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(signature, "signature");
    inputName = inputName == null ? "" : inputName;
    outputName = outputName == null ? "" : outputName;
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "model name must be letters, digits, '.', '_' or '-', got \"" + name + "\"");
    }
  }

  /**
   * Reads a sidecar file.
   *
   * @param file the JSON file
   * @return the sidecar
   * @throws ModelPackageException if it is missing, malformed, of a newer format or invalid
   */
  public static SavedModelSidecar read(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelPackageException(
          "Could not read the SavedModel sidecar " + file + ": " + e
              + ". Write one as described in SavedModelSidecar's documentation", e);
    }
    return parse(json, file.toString());
  }

  /**
   * Parses a sidecar's JSON text.
   *
   * @param json the text
   * @param source a name for error messages
   * @return the sidecar
   * @throws ModelPackageException if the text is malformed, of a newer format or invalid
   */
  public static SavedModelSidecar parse(String json, String source) {
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new ModelPackageException(source + " is not a JSON object: " + e.getMessage(), e);
    }
    try {
      int format = root.has("format-version") ? root.get("format-version").getAsInt() : 1;
      if (format < 1 || format > FORMAT_VERSION) {
        throw new ModelPackageException(source + " has format-version " + format
            + "; this emotion4j reads versions 1 to " + FORMAT_VERSION + ". Upgrade emotion4j to read it.");
      }
      List<String> labelNames = new ArrayList<>();
      require(root, "labels", source).getAsJsonArray().forEach(e -> labelNames.add(e.getAsString()));
      JsonObject in = require(root, "input", source).getAsJsonObject();
      InputContract input = new InputContract(
          require(in, "channels", source).getAsInt(), require(in, "height", source).getAsInt(),
          require(in, "width", source).getAsInt(), doubles(require(in, "mean", source)),
          doubles(require(in, "std", source)),
          in.has("resize") ? in.get("resize").getAsString() : InputContract.AREA);
      return new SavedModelSidecar(
          string(root, "name", "savedmodel"),
          string(root, "version", "unknown"),
          new LabelSet(string(root, "label-set", "custom"), labelNames),
          input,
          enumValue(Layout.class, require(root, "layout", source).getAsString(), "layout", source),
          enumValue(Output.class, require(root, "output", source).getAsString(), "output", source),
          string(root, "signature", SavedModelExporter.SIGNATURE_KEY),
          string(root, "input-name", ""),
          string(root, "output-name", ""));
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException(
          source + " is not a valid SavedModel sidecar: " + e.getMessage()
              + " (a required field may be missing or of the wrong type)", e);
    }
  }

  /**
   * Returns the sidecar as JSON text.
   *
   * @return pretty-printed JSON, ending in a newline
   */
  public String toJson() {
    JsonObject root = new JsonObject();
    root.addProperty("format-version", FORMAT_VERSION);
    root.addProperty("name", name);
    root.addProperty("version", version);
    root.addProperty("label-set", labels.name());
    root.add("labels", GSON.toJsonTree(labels.labels()));
    JsonObject in = new JsonObject();
    in.addProperty("channels", input.channels());
    in.addProperty("height", input.height());
    in.addProperty("width", input.width());
    in.add("mean", GSON.toJsonTree(input.mean()));
    in.add("std", GSON.toJsonTree(input.std()));
    in.addProperty("resize", input.resize());
    root.add("input", in);
    root.addProperty("layout", layout.name());
    root.addProperty("output", output.name().toLowerCase(Locale.ROOT));
    root.addProperty("signature", signature);
    if (!inputName.isEmpty()) {
      root.addProperty("input-name", inputName);
    }
    if (!outputName.isEmpty()) {
      root.addProperty("output-name", outputName);
    }
    return GSON.toJson(root) + "\n";
  }

  /**
   * Writes the sidecar atomically.
   *
   * @param file the file to create or replace
   * @throws IOException if writing fails
   */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonElement require(JsonObject o, String key, String source) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new ModelPackageException(source + " lacks the required field \"" + key + "\"");
    }
    return e;
  }

  private static String string(JsonObject o, String key, String def) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : def;
  }

  private static List<Double> doubles(JsonElement e) {
    List<Double> out = new ArrayList<>();
    JsonArray a = e.getAsJsonArray();
    a.forEach(x -> out.add(x.getAsDouble()));
    return out;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String key, String source) {
    for (E c : type.getEnumConstants()) {
      if (c.name().equalsIgnoreCase(value.trim())) {
        return c;
      }
    }
    List<String> names = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
    }
    throw new ModelPackageException(
        source + ": \"" + key + "\" is \"" + value + "\"; use one of " + names);
  }
}
