package io.github.emotion4j;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ordered list of emotion labels: the order is the order of a model's outputs, so it is part of
 * the value.
 *
 * <p>Two sets come with the library: {@link #FER2013}, the seven FER2013 emotions, and {@link
 * #PAPER_FOUR}, the four classes of the paper emotion4j grew from (happy, neutral, sad — the paper's
 * "cry" — and angry). Seven-class scores are viewed as four-class scores with {@link
 * EmotionScores#restrictTo(LabelSet)}.
 *
 * @param name a short identifier, e.g. {@code "fer2013"}
 * @param labels the labels, lower-case, unique, in output order
 * @since 0.1
 */
public record LabelSet(String name, List<String> labels) {

  /** FER2013's seven emotions in the data set's own (alphabetical) order. */
  public static final LabelSet FER2013 =
      new LabelSet(
          "fer2013", List.of("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"));

  /** The paper's four classes, in FER2013's order: angry, happy, neutral, sad. */
  public static final LabelSet PAPER_FOUR =
      new LabelSet("paper4", List.of("angry", "happy", "neutral", "sad"));

  /** Other collections' names for FER2013's labels, so their folders and CSVs map onto ours. */
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("anger", "angry"),
          Map.entry("disgusted", "disgust"),
          Map.entry("fearful", "fear"),
          Map.entry("happiness", "happy"),
          Map.entry("sadness", "sad"),
          Map.entry("cry", "sad"),
          Map.entry("surprised", "surprise"),
          Map.entry("calm", "neutral"));

  /**
   * Validates and copies the labels.
   *
   * @throws IllegalArgumentException if there are fewer than two labels, or a label is blank or
   *     repeated
   */
  public LabelSet {
    Objects.requireNonNull(name, "name");
    labels = List.copyOf(labels);
    if (labels.size() < 2) {
      throw new IllegalArgumentException(
          "A label set needs at least two labels, got " + labels + " in \"" + name + "\"");
    }
    if (new HashSet<>(labels).size() != labels.size()) {
      throw new IllegalArgumentException("Repeated label in \"" + name + "\": " + labels);
    }
    for (String label : labels) {
      if (label.isBlank()) {
        throw new IllegalArgumentException("Blank label in \"" + name + "\": " + labels);
      }
    }
  }

  /**
   * Parses {@code "7"}, {@code "fer2013"}, {@code "4"} or {@code "paper4"}.
   *
   * @param text the name
   * @return the label set
   * @throws IllegalArgumentException for any other text
   */
  public static LabelSet parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "7":
      case "fer2013":
        return FER2013;
      case "4":
      case "paper4":
        return PAPER_FOUR;
      default:
        throw new IllegalArgumentException(
            "Unknown label set \"" + text + "\". Use 7 (fer2013) or 4 (paper4)");
    }
  }

  /**
   * Maps another collection's spelling of an emotion to ours ({@code "happiness"} to {@code
   * "happy"}, {@code "cry"} to {@code "sad"}); other text is lower-cased and returned as is.
   *
   * @param label a label as written in a data set
   * @return the canonical label
   */
  public static String canonical(String label) {
    String lower = label.trim().toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(lower, lower);
  }

  /**
   * Returns the number of labels.
   *
   * @return the number of labels
   */
  public int size() {
    return labels.size();
  }

  /**
   * Returns the index of a label, after mapping it with {@link #canonical(String)}.
   *
   * @param label the label
   * @return its index, or empty if this set does not hold it
   */
  public Optional<Integer> indexOf(String label) {
    int i = labels.indexOf(canonical(label));
    return i < 0 ? Optional.empty() : Optional.of(i);
  }

  /**
   * Returns the label at an output index.
   *
   * @param index the output index
   * @return the label
   */
  public String get(int index) {
    return labels.get(index);
  }

  /**
   * Tells whether every label of {@code other} is in this set.
   *
   * @param other another label set
   * @return true if this set holds all of {@code other}'s labels
   */
  public boolean containsAll(LabelSet other) {
    return labels.containsAll(other.labels);
  }
}
