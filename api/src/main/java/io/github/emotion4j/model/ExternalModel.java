package io.github.emotion4j.model;

import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model made elsewhere, in one engine's own format (a TorchScript {@code .pt}, an {@code .onnx}
 * file, a TensorFlow SavedModel folder), with the {@link ModelSidecar} that gives what the file
 * cannot: labels, input contract, input layout and whether the output is logits or probabilities.
 *
 * <p>Loading TorchScript or a SavedModel runs code from that file: use only files from a trusted
 * source.
 *
 * @param file the model file or folder
 * @param format {@link #TORCHSCRIPT}, {@link #ONNX} or {@link #SAVED_MODEL}
 * @param sidecar what the model takes and gives
 * @param sha256 the sha256 of the file (of {@code saved_model.pb} for a SavedModel)
 * @since 0.1
 */
public record ExternalModel(Path file, String format, ModelSidecar sidecar, String sha256) {
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
    Objects.requireNonNull(sidecar, "sidecar");
    Objects.requireNonNull(sha256, "sha256");
  }

  /**
   * Reads a model file's sidecar file; the format follows from the model file's name.
   *
   * @param file the model file or SavedModel folder
   * @param sidecar the JSON sidecar
   * @return the description
   * @throws ModelPackageException if either is missing or the sidecar is invalid
   */
  public static ExternalModel read(Path file, Path sidecar) {
    return of(file, ModelSidecar.read(sidecar));
  }

  /**
   * Describes a model file; the format follows from its name ({@code .pt}, {@code .pth}, {@code
   * .torchscript}, {@code .onnx}, or a folder holding {@code saved_model.pb}).
   *
   * @param file the model file or SavedModel folder
   * @param sidecar what the model takes and gives
   * @return the description, with the file's hash
   * @throws ModelPackageException if the file is missing or of no known format
   */
  public static ExternalModel of(Path file, ModelSidecar sidecar) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sidecar, "sidecar");
    String format = formatOf(file);
    Path hashed = format.equals(SAVED_MODEL) ? file.resolve("saved_model.pb") : file;
    try {
      return new ExternalModel(file, format, sidecar, AtomicFiles.sha256(Files.readAllBytes(hashed)));
    } catch (IOException e) {
      throw new ModelPackageException("Could not read external model " + hashed + ": " + e, e);
    }
  }

  private static String formatOf(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (Files.isDirectory(file) && Files.isRegularFile(file.resolve("saved_model.pb"))) {
      return SAVED_MODEL;
    }
    if (!Files.isRegularFile(file)) {
      throw new ModelPackageException("No model file or SavedModel folder at " + file);
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

  /**
   * Describes this model as package metadata (no layers), so classifiers report it like any other.
   *
   * @return metadata with external provenance and the file's hash
   */
  public ModelMetadata metadata() {
    ModelProvenance p = new ModelProvenance(ModelProvenance.SOURCE_EXTERNAL, null, null, null, format,
        null, null, null, null, null, null, null, sha256);
    return new ModelMetadata(ModelPackage.FORMAT_VERSION, sidecar.name(), sidecar.version(),
        sidecar.labels(), sidecar.input(), List.of(), sha256, p);
  }
}
