package io.github.emotion4j.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model made elsewhere, in one engine's own format (a TorchScript {@code .pt}, an {@code .onnx}
 * file, a TensorFlow SavedModel folder), described by a small JSON sidecar that gives what the file
 * cannot: labels, input contract, input layout and whether the output is logits or probabilities.
 *
 * <p>Sidecar example:
 *
 * <pre>{@code
 * {"name": "my-net", "labels": ["angry", "happy", "neutral", "sad"],
 *  "input": {"channels": 1, "height": 48, "width": 48, "mean": [0.5], "std": [0.5]},
 *  "layout": "NCHW", "output": "logits"}
 * }</pre>
 *
 * <p>Loading TorchScript or a SavedModel runs code from that file: use only files from a trusted
 * source.
 *
 * @param file the model file or folder
 * @param format {@link #TORCHSCRIPT}, {@link #ONNX} or {@link #SAVED_MODEL}
 * @param name a name for logs and metadata
 * @param labels the output labels
 * @param input the input contract
 * @param nhwc whether the model takes NHWC input (else NCHW)
 * @param outputsProbabilities whether the model's outputs are already probabilities (else logits)
 * @param sha256 the sha256 of the file (of {@code saved_model.pb} for a SavedModel)
 * @since 0.1
 */
public record ExternalModel(
    Path file,
    String format,
    String name,
    LabelSet labels,
    InputContract input,
    boolean nhwc,
    boolean outputsProbabilities,
    String sha256) {
  /** A TorchScript file, run by the pytorch backend. */
  public static final String TORCHSCRIPT = "torchscript";
  /** An ONNX file, run by the onnxruntime backend. */
  public static final String ONNX = "onnx";
  /** A TensorFlow SavedModel folder, run by the tensorflow backend. */
  public static final String SAVED_MODEL = "savedmodel";

  /** Validates the values. */
  public ExternalModel {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(sha256, "sha256");
  }

  /**
   * Reads a model file's sidecar; the format follows from the file's name ({@code .pt}, {@code
   * .torchscript}, {@code .onnx}, or a folder holding {@code saved_model.pb}).
   *
   * @param file the model file or SavedModel folder
   * @param sidecar the JSON sidecar
   * @return the description
   * @throws ModelPackageException if either is missing or the sidecar is invalid
   */
  public static ExternalModel read(Path file, Path sidecar) {
    String format = formatOf(file);
    try {
      JsonObject o = JsonParser.parseString(Files.readString(sidecar)).getAsJsonObject();
      List<String> labels = new ArrayList<>();
      o.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
      JsonObject in = o.getAsJsonObject("input");
      InputContract input = new InputContract(in.get("channels").getAsInt(), in.get("height").getAsInt(),
          in.get("width").getAsInt(), doubles(in.getAsJsonArray("mean")), doubles(in.getAsJsonArray("std")),
          in.has("resize") ? in.get("resize").getAsString() : InputContract.AREA);
      String layout = o.has("layout") ? o.get("layout").getAsString().toUpperCase(Locale.ROOT) : "NCHW";
      String output = o.has("output") ? o.get("output").getAsString().toLowerCase(Locale.ROOT) : "logits";
      if (!layout.equals("NCHW") && !layout.equals("NHWC")) {
        throw new ModelPackageException("Sidecar " + sidecar + ": layout must be NCHW or NHWC, got " + layout);
      }
      if (!output.equals("logits") && !output.equals("probabilities")) {
        throw new ModelPackageException("Sidecar " + sidecar + ": output must be logits or probabilities, got " + output);
      }
      String name = o.has("name") ? o.get("name").getAsString() : file.getFileName().toString();
      Path hashed = format.equals(SAVED_MODEL) ? file.resolve("saved_model.pb") : file;
      return new ExternalModel(file, format, name, new LabelSet("custom", labels), input,
          layout.equals("NHWC"), output.equals("probabilities"), AtomicFiles.sha256(Files.readAllBytes(hashed)));
    } catch (IOException e) {
      throw new ModelPackageException("Could not read external model " + file + " or its sidecar " + sidecar + ": " + e, e);
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException("Sidecar " + sidecar + " is invalid: " + e.getMessage()
          + " (it needs labels and input {channels, height, width, mean, std})", e);
    }
  }

  private static String formatOf(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("saved_model.pb"))) {
      return SAVED_MODEL;
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelPackageException("No model file at " + file);
    }
    if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript")) {
      return TORCHSCRIPT;
    }
    if (n.endsWith(".onnx")) {
      return ONNX;
    }
    throw new ModelPackageException("Cannot tell the format of " + file
        + ": use .pt or .torchscript (TorchScript), .onnx, or a SavedModel folder");
  }

  private static List<Double> doubles(JsonArray a) {
    List<Double> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsDouble()));
    return out;
  }

  /**
   * Describes this model as package metadata (no layers), so classifiers report it like any other.
   *
   * @return metadata with external provenance and the file's hash
   */
  public ModelMetadata metadata() {
    ModelProvenance p = new ModelProvenance(ModelProvenance.SOURCE_EXTERNAL, null, null, null, format,
        null, null, null, null, null, null, null, sha256);
    return new ModelMetadata(ModelPackage.FORMAT_VERSION, name.replaceAll("[^A-Za-z0-9._-]", "_"),
        "external", labels, input, List.of(), sha256, p);
  }
}
