package io.github.emotion4j.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What emotion4j needs to know about a model file it did not build (a TorchScript {@code .pt}, an
 * {@code .onnx} file, a TensorFlow SavedModel): its labels, its input contract, the layout of its
 * input tensor and whether it outputs logits or probabilities. Kept as a small JSON file beside the
 * model (the "sidecar"); the ONNX and SavedModel exporters write the same JSON into every file they
 * export. One format for every engine:
 *
 * <pre>{@code
 * {
 *   "format-version": 1,
 *   "name": "my-fer-model",
 *   "version": "1.0",
 *   "labels": ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"],
 *   "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5],
 *             "resize": "area", "layout": "NCHW", "name": "input"},
 *   "output": {"kind": "logits", "name": "logits"},
 *   "signature": "serving_default"
 * }
 * }</pre>
 *
 * <p>Only {@code labels} and {@code input}'s {@code channels}, {@code height}, {@code width}, {@code
 * mean} and {@code std} are required. {@code input.layout} is {@code NCHW} (default) or {@code NHWC}
 * (Keras's); {@code output.kind} is {@code logits} (default) or {@code probabilities}; an absent
 * tensor name means the model's only input, or its first (ONNX) or only (SavedModel) output; {@code
 * signature} is read for SavedModels only (default {@code serving_default}); {@code label-set} names
 * the labels' set (default {@code custom}). Immutable.
 *
 * @param name the model's name (letters, digits, {@code .}, {@code _}, {@code -})
 * @param version the model's version
 * @param labels the output labels, in output order
 * @param input the input contract the api's preprocessing follows
 * @param layout how the model wants each batch laid out
 * @param output whether the output holds logits or probabilities
 * @param inputName the model's input tensor name, or empty for its only input
 * @param outputName the model's output tensor name, or empty for its first or only output
 * @param signature the SavedModel signature to run, or empty for {@code serving_default}
 * @since 0.1
 */
public record ModelSidecar(
    String name,
    String version,
    LabelSet labels,
    InputContract input,
    Layout layout,
    OutputKind output,
    String inputName,
    String outputName,
    String signature) {

  /** The sidecar format version this library reads and writes. */
  public static final int FORMAT_VERSION = 1;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** How one batch of images is laid out in the model's input tensor. */
  public enum Layout {
    /** {@code [batch, channels, height, width]}, PyTorch's and emotion4j's own layout. */
    NCHW,
    /** {@code [batch, height, width, channels]}, TensorFlow's and Keras's default. */
    NHWC
  }

  /** What the model's output holds for each image, one value per label. */
  public enum OutputKind {
    /** Unnormalised scores; emotion4j applies softmax. */
    LOGITS,
    /** Probabilities that already sum to one (the model ends in softmax). */
    PROBABILITIES
  }

  /** Validates the values; null names and signature become empty. */
  public ModelSidecar {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(output, "output");
    inputName = inputName == null ? "" : inputName;
    outputName = outputName == null ? "" : outputName;
    signature = signature == null ? "" : signature;
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
  public static ModelSidecar of(String name, String version, LabelSet labels, InputContract input) {
    return new ModelSidecar(name, version, labels, input, Layout.NCHW, OutputKind.LOGITS, "", "", "");
  }

  /**
   * Returns a copy with another input layout.
   *
   * @param newLayout the layout
   * @return the copy
   */
  public ModelSidecar withLayout(Layout newLayout) {
    return new ModelSidecar(name, version, labels, input, newLayout, output, inputName, outputName, signature);
  }

  /**
   * Returns a copy with another output kind.
   *
   * @param newOutput the output kind
   * @return the copy
   */
  public ModelSidecar withOutput(OutputKind newOutput) {
    return new ModelSidecar(name, version, labels, input, layout, newOutput, inputName, outputName, signature);
  }

  /**
   * Returns a copy with other tensor names.
   *
   * @param newInputName the input tensor's name, or empty
   * @param newOutputName the output tensor's name, or empty
   * @return the copy
   */
  public ModelSidecar withTensorNames(String newInputName, String newOutputName) {
    return new ModelSidecar(name, version, labels, input, layout, output, newInputName, newOutputName, signature);
  }

  /**
   * Returns a copy with another SavedModel signature.
   *
   * @param newSignature the signature, or empty for {@code serving_default}
   * @return the copy
   */
  public ModelSidecar withSignature(String newSignature) {
    return new ModelSidecar(name, version, labels, input, layout, output, inputName, outputName, newSignature);
  }

  /**
   * Reads a sidecar file.
   *
   * @param file the JSON file
   * @return the sidecar
   * @throws ModelPackageException if the file is missing or not a valid sidecar
   */
  public static ModelSidecar read(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ModelPackageException("Could not read the model sidecar " + file + ": " + e
          + ". Write one as described in ModelSidecar's documentation.", e);
    }
  }

  /**
   * Parses sidecar JSON.
   *
   * @param json the JSON text
   * @param source names the text in error messages, e.g. its file
   * @return the sidecar
   * @throws ModelPackageException naming the source and the field when the JSON is invalid
   */
  public static ModelSidecar parse(String json, String source) {
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new ModelPackageException("Sidecar " + source + " is not a JSON object: " + e.getMessage(), e);
    }
    try {
      int format = root.has("format-version") ? root.get("format-version").getAsInt() : 1;
      if (format < 1 || format > FORMAT_VERSION) {
        throw new ModelPackageException("Sidecar " + source + " has format-version " + format
            + "; this emotion4j reads versions 1 to " + FORMAT_VERSION + ". Upgrade emotion4j to read it.");
      }
      JsonFields f = new JsonFields("Sidecar " + source);
      List<String> labels = f.strings(root, "", "labels");
      JsonObject in = f.object(root, "", "input");
      InputContract contract = new InputContract(
          f.integer(in, "input", "channels"),
          f.integer(in, "input", "height"),
          f.integer(in, "input", "width"),
          f.numbers(in, "input", "mean"),
          f.numbers(in, "input", "std"),
          string(in, "resize", InputContract.AREA));
      JsonObject out = root.has("output") ? root.getAsJsonObject("output") : new JsonObject();
      return new ModelSidecar(
          string(root, "name", "external-model"),
          string(root, "version", "unknown"),
          new LabelSet(string(root, "label-set", "custom"), labels),
          contract,
          enumValue(Layout.class, string(in, "layout", "NCHW"), "input.layout", source),
          enumValue(OutputKind.class, string(out, "kind", "logits"), "output.kind", source),
          string(in, "name", ""),
          string(out, "name", ""),
          string(root, "signature", ""));
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException("Sidecar " + source + " is invalid: " + e.getMessage()
          + " (a field may be of the wrong type; it needs labels and input {channels, height, width,"
          + " mean, std})", e);
    }
  }

  /**
   * Returns the sidecar as JSON, in the form {@link #parse} reads.
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
    in.addProperty("layout", layout.name());
    addIfSet(in, "name", inputName);
    root.add("input", in);
    JsonObject out = new JsonObject();
    out.addProperty("kind", output.name().toLowerCase(Locale.ROOT));
    addIfSet(out, "name", outputName);
    root.add("output", out);
    addIfSet(root, "signature", signature);
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

  private static void addIfSet(JsonObject o, String key, String value) {
    if (!value.isEmpty()) {
      o.addProperty(key, value);
    }
  }

  private static String string(JsonObject o, String key, String fallback) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : fallback;
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field, String source) {
    for (E c : type.getEnumConstants()) {
      if (c.name().equalsIgnoreCase(text.trim())) {
        return c;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      allowed.add(c.name().toLowerCase(Locale.ROOT));
    }
    throw new ModelPackageException(
        "Sidecar " + source + ": " + field + " is \"" + text + "\"; use one of " + allowed);
  }
}
