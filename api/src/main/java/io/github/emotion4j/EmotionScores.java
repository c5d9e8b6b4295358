package io.github.emotion4j;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The probability of each emotion for one face: immutable, in the label set's order.
 *
 * <pre>{@code
 * EmotionScores s = classifier.classify(Path.of("face.jpg"));
 * s.top().label();            // "happy"
 * s.probability("sad");       // 0.03
 * s.topK(3);                  // the three likeliest, most likely first
 * s.restrictTo(LabelSet.PAPER_FOUR);  // the paper's four classes, renormalised
 * }</pre>
 *
 * @param labels the labels, in output order
 * @param probabilities one probability per label, summing to 1
 * @since 0.1
 */
public record EmotionScores(LabelSet labels, List<Double> probabilities) {

  /**
   * Validates and copies the probabilities.
   *
   * @throws IllegalArgumentException if there is not one finite probability in [0, 1] per label,
   *     or they do not sum to 1 (within {@value #SUM_TOLERANCE})
   */
  public EmotionScores {
    Objects.requireNonNull(labels, "labels");
    probabilities = List.copyOf(probabilities);
    if (probabilities.size() != labels.size()) {
      throw new IllegalArgumentException(
          labels.size() + " labels but " + probabilities.size() + " probabilities");
    }
    double sum = 0;
    for (double p : probabilities) {
      if (!(p >= 0 && p <= 1.0000001)) {
        throw new IllegalArgumentException("probability out of [0, 1]: " + probabilities);
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new IllegalArgumentException("probabilities sum to " + sum + ", not 1: " + probabilities);
    }
  }

  /** How far from 1 the probabilities may sum. */
  public static final double SUM_TOLERANCE = 1e-4;

  /** How far from 1 a model's float32 probability outputs may sum before they are renormalised. */
  static final double OUTPUT_SUM_TOLERANCE = 1e-3;

  /**
   * Turns a network's raw outputs (logits) into scores with a numerically stable softmax.
   *
   * @param labels the labels, in output order
   * @param logits the outputs, one per label
   * @param offset where this image's logits start in {@code logits}
   * @return the scores
   */
  public static EmotionScores fromLogits(LabelSet labels, float[] logits, int offset) {
    int n = labels.size();
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double[] e = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      e[i] = Math.exp(logits[offset + i] - max);
      sum += e[i];
    }
    List<Double> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(e[i] / sum);
    }
    return new EmotionScores(labels, p);
  }

  /**
   * Wraps a model's probability outputs. Float rounding is forgiven (values a hair below 0 count as
   * 0, a sum within 0.001 of 1 is renormalised); anything else is not a probability distribution
   * (logits, a sigmoid per label, a model that was given the wrong sidecar) and is refused.
   *
   * @param labels the labels, in output order
   * @param probabilities the outputs, one per label
   * @param offset where this image's outputs start
   * @return the scores
   * @throws IllegalArgumentException if a value lies outside [0, 1] or they do not sum to 1, naming
   *     the values
   */
  public static EmotionScores fromProbabilities(LabelSet labels, float[] probabilities, int offset) {
    int n = labels.size();
    double sum = 0;
    boolean inRange = true;
    for (int i = 0; i < n; i++) {
      float v = probabilities[offset + i];
      inRange &= v >= -OUTPUT_SUM_TOLERANCE && v <= 1 + OUTPUT_SUM_TOLERANCE;
      sum += Math.max(0, v);
    }
    if (!inRange || Math.abs(sum - 1) > OUTPUT_SUM_TOLERANCE) {
      throw new IllegalArgumentException("the outputs are not probabilities: "
          + java.util.Arrays.toString(java.util.Arrays.copyOfRange(probabilities, offset, offset + n))
          + " sum to " + sum + " (if they are logits, the sidecar's output.kind must be \"logits\")");
    }
    List<Double> p = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      p.add(Math.max(0, probabilities[offset + i]) / sum);
    }
    return new EmotionScores(labels, p);
  }

  /**
   * Returns the probability of one label.
   *
   * @param label the label (aliases such as {@code "happiness"} are accepted)
   * @return its probability
   * @throws IllegalArgumentException if the label is not in this result's label set
   */
  public double probability(String label) {
    int i =
        labels
            .indexOf(label)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "No label \"" + label + "\" in " + labels.labels()));
    return probabilities.get(i);
  }

  /**
   * Returns the likeliest label (the first one on a tie).
   *
   * @return the likeliest label and its probability
   */
  public ScoredLabel top() {
    int best = 0;
    for (int i = 1; i < probabilities.size(); i++) {
      if (probabilities.get(i) > probabilities.get(best)) {
        best = i;
      }
    }
    return new ScoredLabel(labels.get(best), probabilities.get(best));
  }

  /**
   * Returns the {@code k} likeliest labels, most likely first.
   *
   * @param k how many; more than the number of labels returns them all
   * @return up to {@code k} labels with their probabilities
   */
  public List<ScoredLabel> topK(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    List<ScoredLabel> all = sorted();
    return all.subList(0, Math.min(k, all.size()));
  }

  /**
   * Returns every label with its probability, most likely first (stable on ties).
   *
   * @return the sorted labels
   */
  public List<ScoredLabel> sorted() {
    List<ScoredLabel> all = new ArrayList<>(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      all.add(new ScoredLabel(labels.get(i), probabilities.get(i)));
    }
    all.sort(Comparator.comparingDouble(ScoredLabel::probability).reversed());
    return List.copyOf(all);
  }

  /**
   * Returns the probabilities as a map in label order.
   *
   * @return label to probability, iteration in output order
   */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      map.put(labels.get(i), probabilities.get(i));
    }
    return java.util.Collections.unmodifiableMap(map);
  }

  /**
   * Views these scores over a subset of their labels, renormalised to sum to 1: seven FER2013
   * scores become the paper's four with {@code restrictTo(LabelSet.PAPER_FOUR)}.
   *
   * @param subset the labels to keep, in the order wanted
   * @return the renormalised scores over {@code subset}
   * @throws IllegalArgumentException if {@code subset} has a label these scores lack, or the kept
   *     labels have zero total probability
   */
  public EmotionScores restrictTo(LabelSet subset) {
    if (!labels.containsAll(subset)) {
      throw new IllegalArgumentException(
          "Cannot view scores over " + labels.labels() + " as " + subset.labels());
    }
    double total = 0;
    for (String label : subset.labels()) {
      total += probability(label);
    }
    if (total <= 0) {
      throw new IllegalArgumentException(
          "The labels " + subset.labels() + " have zero probability together");
    }
    List<Double> p = new ArrayList<>(subset.size());
    for (String label : subset.labels()) {
      p.add(probability(label) / total);
    }
    return new EmotionScores(subset, p);
  }
}
