package io.github.emotion4j.model;

import io.github.emotion4j.LabelSet;
import java.util.List;
import java.util.Objects;

/**
 * The contents of {@code emotion-model.json}: everything about a model but its weights.
 *
 * @param formatVersion the package format version, at most {@link ModelPackage#FORMAT_VERSION}
 * @param name the model's name, e.g. {@code fer2013-vgg-bn}
 * @param version the model's version, e.g. {@code 1.0.0}
 * @param labels the output labels, in order
 * @param input what the network expects
 * @param layers the network, as an ordered layer list
 * @param weightsSha256 the sha256 (hex) of {@code weights.safetensors}
 * @param provenance where the model came from
 * @since 0.1
 */
public record ModelMetadata(
    int formatVersion,
    String name,
    String version,
    LabelSet labels,
    InputContract input,
    List<LayerSpec> layers,
    String weightsSha256,
    ModelProvenance provenance) {

  /** Validates and copies the values. */
  public ModelMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(input, "input");
    layers = List.copyOf(layers);
    Objects.requireNonNull(weightsSha256, "weightsSha256");
    Objects.requireNonNull(provenance, "provenance");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "model name must be letters, digits, '.', '_' or '-', got \"" + name + "\"");
    }
  }

  /**
   * Describes the model in one short line (name, version, labels, input, layer count, the weights'
   * hash prefix and the provenance's summary), not the whole layer list and training history.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    return "ModelMetadata[" + name + " " + version + ", format " + formatVersion + ", labels "
        + labels.labels() + ", input " + input.channels() + "x" + input.height() + "x" + input.width()
        + ", " + layers.size() + " layers, weights sha256 "
        + weightsSha256.substring(0, Math.min(12, weightsSha256.length())) + ", " + provenance + "]";
  }
}
