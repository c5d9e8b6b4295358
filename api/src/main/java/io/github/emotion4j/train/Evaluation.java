package io.github.emotion4j.train;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.LabelSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Classification metrics over a labelled set: accuracy, macro-F1, per-class precision, recall and
 * F1, and the confusion matrix (rows: true label, columns: predicted label).
 *
 * @param labels the labels, in matrix order
 * @param confusion counts, {@code confusion.get(truth).get(predicted)}
 * @param accuracy correct / total
 * @param macroF1 the unweighted mean of per-class F1 over the labels
 * @param precision per label; 0 where nothing was predicted as it
 * @param recall per label; 0 where the label has no image
 * @param f1 per label
 * @param skipped the files that could not be read and are not in the figures, in folder order
 * @since 0.1
 */
public record Evaluation(
    LabelSet labels,
    List<List<Integer>> confusion,
    double accuracy,
    double macroF1,
    List<Double> precision,
    List<Double> recall,
    List<Double> f1,
    List<Skipped> skipped) {

  /**
   * A file left out of an evaluation because it could not be read.
   *
   * @param file the file
   * @param reason why, as the decoder said it
   */
  public record Skipped(Path file, String reason) {
    /** Checks the fields. */
    public Skipped {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Copies the lists. */
  public Evaluation {
    confusion = confusion.stream().map(List::copyOf).toList();
    precision = List.copyOf(precision);
    recall = List.copyOf(recall);
    f1 = List.copyOf(f1);
    skipped = List.copyOf(skipped);
  }

  /**
   * Computes the metrics from true and predicted label indices.
   *
   * @param labels the labels
   * @param truth the true label index per image
   * @param predicted the predicted label index per image
   * @return the metrics
   */
  public static Evaluation of(LabelSet labels, int[] truth, int[] predicted) {
    if (truth.length != predicted.length || truth.length == 0) {
      throw new IllegalArgumentException(
          "need as many predictions as labels, and at least one: " + truth.length + " vs " + predicted.length);
    }
    int n = labels.size();
    int[][] m = new int[n][n];
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      m[truth[i]][predicted[i]]++;
      correct += truth[i] == predicted[i] ? 1 : 0;
    }
    List<List<Integer>> confusion = new ArrayList<>();
    List<Double> precision = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    List<Double> f1 = new ArrayList<>();
    double f1Sum = 0;
    for (int c = 0; c < n; c++) {
      List<Integer> row = new ArrayList<>();
      int rowSum = 0;
      int colSum = 0;
      for (int k = 0; k < n; k++) {
        row.add(m[c][k]);
        rowSum += m[c][k];
        colSum += m[k][c];
      }
      confusion.add(row);
      double p = colSum == 0 ? 0 : m[c][c] / (double) colSum;
      double r = rowSum == 0 ? 0 : m[c][c] / (double) rowSum;
      double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
      precision.add(p);
      recall.add(r);
      f1.add(f);
      f1Sum += f;
    }
    return new Evaluation(labels, confusion, correct / (double) truth.length, f1Sum / n,
        precision, recall, f1, List.of());
  }

  /**
   * Returns these figures with the files that were left out.
   *
   * @param files the unreadable files
   * @return a copy naming them
   */
  public Evaluation withSkipped(List<Skipped> files) {
    return new Evaluation(labels, confusion, accuracy, macroF1, precision, recall, f1, files);
  }

  /**
   * Classifies every image of a folder-per-label layout with a classifier and scores it. Folders
   * whose label the classifier does not give are dropped. A file that cannot be read (not an image,
   * truncated, too large) is left out of the figures and listed in {@link #skipped()}.
   *
   * @param classifier the classifier, on any backend
   * @param folder {@code <folder>/<label>/<image>}
   * @param batchSize files per classify call
   * @return the metrics over the classifier's labels
   * @throws InvalidImageException if no file at all could be read, naming the first
   */
  public static Evaluation evaluate(EmotionClassifier classifier, Path folder, int batchSize) {
    LabelSet labels = classifier.labels();
    List<Path> files = new ArrayList<>();
    List<Integer> truth = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(folder)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        Optional<Integer> label = labels.indexOf(dir.getFileName().toString());
        if (label.isEmpty()) {
          continue;
        }
        try (Stream<Path> images = Files.list(dir)) {
          images.filter(Files::isRegularFile).sorted().forEach(f -> {
            files.add(f);
            truth.add(label.get());
          });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the labelled folder " + folder, e);
    }
    List<Integer> read = new ArrayList<>();
    List<Integer> predicted = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (int from = 0; from < files.size(); from += batchSize) {
      int to = Math.min(files.size(), from + batchSize);
      List<EmotionScores> scores = null;
      try {
        scores = classifier.classifyFiles(files.subList(from, to));
      } catch (InvalidImageException e) {
        // a bad file in this batch: classify it one by one so the others still count
      }
      for (int i = from; i < to; i++) {
        try {
          EmotionScores s = scores != null ? scores.get(i - from) : classifier.classify(files.get(i));
          predicted.add(labels.indexOf(s.top().label()).orElseThrow());
          read.add(truth.get(i));
        } catch (InvalidImageException e) {
          skipped.add(new Skipped(files.get(i), e.getMessage()));
        }
      }
    }
    if (read.isEmpty() && !skipped.isEmpty()) {
      throw new InvalidImageException("None of the " + skipped.size() + " files in " + folder
          + " could be read; the first: " + skipped.get(0).reason());
    }
    return of(labels, read.stream().mapToInt(Integer::intValue).toArray(),
        predicted.stream().mapToInt(Integer::intValue).toArray()).withSkipped(skipped);
  }

  /**
   * Returns the number of images scored.
   *
   * @return the total of the confusion matrix
   */
  public int count() {
    return confusion.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum();
  }

  /**
   * Returns the metrics as a JSON-ready map (kebab-case keys).
   *
   * @return the report
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("images", count());
    m.put("accuracy", accuracy);
    m.put("macro-f1", macroF1);
    m.put("labels", labels.labels());
    Map<String, Object> perClass = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("precision", precision.get(i));
      c.put("recall", recall.get(i));
      c.put("f1", f1.get(i));
      c.put("support", confusion.get(i).stream().mapToInt(Integer::intValue).sum());
      perClass.put(labels.get(i), c);
    }
    m.put("per-class", perClass);
    m.put("confusion", confusion);
    m.put("skipped", skipped.size());
    m.put("skipped-files", skipped.stream().map(s -> {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("file", s.file().toString());
      f.put("reason", s.reason());
      return f;
    }).toList());
    return m;
  }
}
