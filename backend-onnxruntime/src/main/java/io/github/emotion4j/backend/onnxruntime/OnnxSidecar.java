package io.github.emotion4j.backend.onnxruntime;

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
 * What emotion4j needs to know about an ONNX classifier it did not build: its labels, its input
 * contract and tensor layout, and whether it outputs logits or probabilities. Written as a small
 * JSON file beside the {@code .onnx} file (the "sidecar"), and embedded by {@link OnnxExporter} in
 * the metadata properties of every exported file under {@value OnnxExporter#META_SIDECAR}.
 *
 * <pre>{@code
 * {
 *   "format-version": 1,
 *   "name": "my-fer-model",
 *   "version": "1.0",
 *   "labels": ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"],
 *   "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5],
 *             "resize": "area", "layout": "NCHW", "name": "input"},
 *   "output": {"kind": "logits", "name": "logits"}
 * }
 * }</pre>
 *
 * <p>{@code label-set}, {@code input.resize}, {@code input.layout} ({@code NCHW}), {@code
 * input.name}, {@code output.kind} ({@code logits}) and {@code output.name} are optional; an empty
 * name means the model's only input, or its first output. The model's batch dimension must be
 * dynamic. Immutable.
 *
 * @param name the model's name (letters, digits, {@code .}, {@code _}, {@code -})
 * @param version the model's version
 * @param labels the output labels, in output order
 * @param input the input contract the api's preprocessing follows
 * @param layout how the model wants each batch laid out
 * @param inputName the model's input tensor name, or empty for its only input
 * @param output whether the output holds logits or probabilities
 * @param outputName the model's output tensor name, or empty for its first output
 * @since 0.1
 */
public record OnnxSidecar(
    String name,
    String version,
    LabelSet labels,
    InputContract input,
    Layout layout,
    String inputName,
    OutputKind output,
    String outputName) {

  /** The sidecar format version this library reads and writes. */
  public static final int FORMAT_VERSION = 1;

  private static final String KEY_FORMAT_VERSION = "format-version";
  private static final String KEY_NAME = "name";
  private static final String KEY_VERSION = "version";
  private static final String KEY_LABELS = "labels";
  private static final String KEY_LABEL_SET = "label-set";
  private static final String KEY_INPUT = "input";
  private static final String KEY_CHANNELS = "channels";
  private static final String KEY_HEIGHT = "height";
  private static final String KEY_WIDTH = "width";
  private static final String KEY_MEAN = "mean";
  private static final String KEY_STD = "std";
  private static final String KEY_RESIZE = "resize";
  private static final String KEY_LAYOUT = "layout";
  private static final String KEY_TENSOR_NAME = "name";
  private static final String KEY_OUTPUT = "output";
  private static final String KEY_KIND = "kind";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** How one batch of images is laid out in the model's input tensor. */
  public enum Layout {
    /** {@code [batch, channels, height, width]}, PyTorch's and emotion4j's own layout. */
    NCHW,
    /** {@code [batch, height, width, channels]}, TensorFlow's layout. */
    NHWC
  }

  /** What the model's output holds for each image, one value per label. */
  public enum OutputKind {
    /** Unnormalised scores; emotion4j applies softmax. */
    LOGITS,
    /** Probabilities that already sum to one (the model ends in softmax). */
    PROBABILITIES
  }

  /** Validates the values. */
  public OnnxSidecar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(layout, "layout");
    inputName = inputName == null ? "" : inputName;
    Objects.requireNonNull(output, "output");
    outputName = outputName == null ? "" : outputName;
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "model name must be letters, digits, '.', '_' or '-', got \"" + name + "\"");
    }
  }

  /**
   * A sidecar for an NCHW model with logits output and unnamed tensors.
   *
   * @param name the model's name
   * @param version the model's version
   * @param labels the output labels
   * @param input the input contract
   * @return the sidecar
   */
  public static OnnxSidecar of(String name, String version, LabelSet labels, InputContract input) {
    return new OnnxSidecar(name, version, labels, input, Layout.NCHW, "", OutputKind.LOGITS, "");
  }

  /**
   * Reads a sidecar file.
   *
   * @param file the JSON file
   * @return the sidecar
   * @throws ModelPackageException if the file is missing or not a valid sidecar
   */
  public static OnnxSidecar read(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ModelPackageException(
          "Could not read the ONNX sidecar " + file + ": " + e
              + ". Write one as described in OnnxSidecar's documentation.", e);
    }
  }

  /**
   * Parses sidecar JSON.
   *
   * @param json the JSON text
   * @param source a name for error messages
   * @return the sidecar
   * @throws ModelPackageException naming the source and the field when the JSON is invalid
   */
  public static OnnxSidecar parse(String json, String source) {
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new ModelPackageException(
          "ONNX sidecar " + source + " is not a JSON object: " + e.getMessage(), e);
    }
    try {
      int format = root.has(KEY_FORMAT_VERSION) ? root.get(KEY_FORMAT_VERSION).getAsInt() : 1;
      if (format < 1 || format > FORMAT_VERSION) {
        throw new ModelPackageException(
            "ONNX sidecar " + source + " has format-version " + format + "; this emotion4j reads "
                + "versions 1 to " + FORMAT_VERSION + ". Upgrade emotion4j to read it.");
      }
      List<String> labels = new ArrayList<>();
      JsonArray labelArray = required(root, KEY_LABELS, source).getAsJsonArray();
      labelArray.forEach(e -> labels.add(e.getAsString()));
      String labelSet = root.has(KEY_LABEL_SET) ? root.get(KEY_LABEL_SET).getAsString() : "custom";
      JsonObject in = required(root, KEY_INPUT, source).getAsJsonObject();
      InputContract contract = new InputContract(
          required(in, KEY_CHANNELS, source).getAsInt(),
          required(in, KEY_HEIGHT, source).getAsInt(),
          required(in, KEY_WIDTH, source).getAsInt(),
          doubles(required(in, KEY_MEAN, source).getAsJsonArray()),
          doubles(required(in, KEY_STD, source).getAsJsonArray()),
          in.has(KEY_RESIZE) ? in.get(KEY_RESIZE).getAsString() : InputContract.AREA);
      Layout layout = in.has(KEY_LAYOUT)
          ? enumValue(Layout.class, in.get(KEY_LAYOUT).getAsString(), "input.layout", source)
          : Layout.NCHW;
      String inputName = in.has(KEY_TENSOR_NAME) ? in.get(KEY_TENSOR_NAME).getAsString() : "";
      OutputKind kind = OutputKind.LOGITS;
      String outputName = "";
      if (root.has(KEY_OUTPUT)) {
        JsonObject out = root.getAsJsonObject(KEY_OUTPUT);
        if (out.has(KEY_KIND)) {
          kind = enumValue(OutputKind.class, out.get(KEY_KIND).getAsString(), "output.kind", source);
        }
        outputName = out.has(KEY_TENSOR_NAME) ? out.get(KEY_TENSOR_NAME).getAsString() : "";
      }
      String name = root.has(KEY_NAME) ? root.get(KEY_NAME).getAsString() : "onnx-model";
      String version = root.has(KEY_VERSION) ? root.get(KEY_VERSION).getAsString() : "unknown";
      return new OnnxSidecar(name, version, new LabelSet(labelSet, labels), contract, layout,
          inputName, kind, outputName);
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException(
          "ONNX sidecar " + source + " is invalid: " + e.getMessage()
              + " (a required field may be missing or of the wrong type)", e);
    }
  }

  /**
   * Returns the sidecar as JSON, in the form {@link #parse} reads.
   *
   * @return pretty-printed JSON
   */
  public String toJson() {
    JsonObject root = new JsonObject();
    root.addProperty(KEY_FORMAT_VERSION, FORMAT_VERSION);
    root.addProperty(KEY_NAME, name);
    root.addProperty(KEY_VERSION, version);
    root.addProperty(KEY_LABEL_SET, labels.name());
    JsonArray labelArray = new JsonArray();
    labels.labels().forEach(labelArray::add);
    root.add(KEY_LABELS, labelArray);
    JsonObject in = new JsonObject();
    in.addProperty(KEY_CHANNELS, input.channels());
    in.addProperty(KEY_HEIGHT, input.height());
    in.addProperty(KEY_WIDTH, input.width());
    in.add(KEY_MEAN, GSON.toJsonTree(input.mean()));
    in.add(KEY_STD, GSON.toJsonTree(input.std()));
    in.addProperty(KEY_RESIZE, input.resize());
    in.addProperty(KEY_LAYOUT, layout.name());
    if (!inputName.isEmpty()) {
      in.addProperty(KEY_TENSOR_NAME, inputName);
    }
    root.add(KEY_INPUT, in);
    JsonObject out = new JsonObject();
    out.addProperty(KEY_KIND, output.name().toLowerCase(Locale.ROOT));
    if (!outputName.isEmpty()) {
      out.addProperty(KEY_TENSOR_NAME, outputName);
    }
    root.add(KEY_OUTPUT, out);
    return GSON.toJson(root) + "\n";
  }

  /**
   * Writes the sidecar as JSON, atomically.
   *
   * @param file the file to create or replace
   * @throws IOException if writing fails; an existing file is then unchanged
   */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonElement required(JsonObject o, String key, String source) {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      throw new ModelPackageException("ONNX sidecar " + source + " lacks the field \"" + key + "\"");
    }
    return e;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field, String source) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E v : type.getEnumConstants()) {
        allowed.add(v.name().toLowerCase(Locale.ROOT));
      }
      throw new ModelPackageException(
          "ONNX sidecar " + source + ": " + field + " is \"" + text + "\"; use one of " + allowed, e);
    }
  }

  private static List<Double> doubles(JsonArray a) {
    List<Double> out = new ArrayList<>();
    for (JsonElement e : a) {
      out.add(e.getAsDouble());
    }
    return out;
  }
}
