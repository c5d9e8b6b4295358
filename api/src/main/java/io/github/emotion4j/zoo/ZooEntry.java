package io.github.emotion4j.zoo;

import java.util.List;
import java.util.Objects;

/**
 * One model the zoo knows: its identity, what it predicts, how good it is and where it comes from.
 *
 * @param name the model's name, e.g. {@code fer2013-vgg-bn}
 * @param version its version, e.g. {@code 1.0.0}
 * @param labelSet the name of its label set, e.g. {@code fer2013}, or {@code "custom"}
 * @param labels its output labels, in order
 * @param architecture the network, e.g. {@code vgg-bn}, or {@code "unknown"}
 * @param sizeBytes the package file's size in bytes, or -1 if unknown
 * @param sha256 the package file's sha256 (lower-case hex), or empty if unknown (a bundled zip
 *     without an index entry); the weights inside are checked against their own sha256 in any case
 * @param accuracy test accuracy in [0, 1] as the index states it, or {@code NaN} if unknown
 * @param source the repository it comes from
 * @param location its file: a URL ({@code jar:}, {@code file:}, {@code https:}) or a path
 * @since 0.1
 */
public record ZooEntry(
    String name,
    String version,
    String labelSet,
    List<String> labels,
    String architecture,
    long sizeBytes,
    String sha256,
    double accuracy,
    ModelSource source,
    String location) {

  /** Names and versions: letters, digits, '.', '_' or '-', starting with a letter or digit. */
  static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

  /** Validates and copies the values. */
  public ZooEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labelSet, "labelSet");
    labels = List.copyOf(labels);
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(location, "location");
    if (!name.matches(ID_PATTERN) || !version.matches(ID_PATTERN)) {
      throw new IllegalArgumentException("model name and version must be letters, digits, '.', '_'"
          + " or '-', got \"" + name + "\" version \"" + version + "\"");
    }
    if (!sha256.isEmpty() && !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("sha256 of " + name + ":" + version
          + " must be 64 hex digits, got \"" + sha256 + "\"");
    }
    sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Returns {@code name:version}, the form {@link ModelZoo#load(String)} accepts.
   *
   * @return the spec
   */
  public String spec() {
    return name + ":" + version;
  }

  /**
   * Tells whether the index states an accuracy.
   *
   * @return false if {@link #accuracy()} is NaN
   */
  public boolean hasAccuracy() {
    return !Double.isNaN(accuracy);
  }

  /** Returns the same entry from another place. */
  ZooEntry at(ModelSource newSource, String newLocation) {
    return new ZooEntry(name, version, labelSet, labels, architecture, sizeBytes, sha256, accuracy,
        newSource, newLocation);
  }
}
