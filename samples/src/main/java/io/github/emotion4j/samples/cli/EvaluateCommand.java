package io.github.emotion4j.samples.cli;

import com.google.gson.GsonBuilder;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.ModelMetadata;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.train.Evaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Scores a model on a folder-per-label image set and writes the report and confusion matrix. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Score a model on <folder>/<label>/* images: accuracy, macro-F1 and a per-class table "
        + "on standard output; evaluation.json and confusion-matrix.png in --out.",
        "Label folders the model (or the --labels view) does not have are left out. A file that "
            + "cannot be read is named on standard error, counted and listed in evaluation.json"
            + " (skipped-files), and the others go on."})
final class EvaluateCommand implements Callable<Integer> {
  /** The report's file name in the output folder. */
  static final String REPORT = "evaluation.json";
  /** The confusion matrix's file name in the output folder. */
  static final String MATRIX = "confusion-matrix.png";

  /** The {@code FOLDER} parameter. */
  @Parameters(index = "0", paramLabel = "FOLDER", description = "Labelled images: one subfolder per label.")
  Path folder;

  /** The backend, device, model and label options. */
  @Mixin
  ClassifierOptions options = new ClassifierOptions();

  /** The {@code --out} option. */
  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".",
      description = "Where to write " + REPORT + " and " + MATRIX + " (default: the current folder).")
  Path out;

  /** The {@code --batch-size} option. */
  @Option(names = "--batch-size", defaultValue = "64", description = "Images per backend call (default ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--record", paramLabel = "ZIP",
      description = "Write a copy of the --model package with these figures as its provenance metrics"
          + " (split, accuracy, macro-F1; earlier metrics kept under their split's name).")
  Path record;

  /** This command, as picocli parsed it. */
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new ParameterException(spec.commandLine(), "No labelled folder at " + folder
          + (Files.exists(folder) ? " (it is a file)" : " (no such folder)"));
    }
    if (batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--batch-size must be at least 1, got " + batchSize);
    }
    if (record != null && options.flipAveraging) {
      throw new ParameterException(spec.commandLine(),
          "--record stores the model's own figures; evaluate without --flip-averaging to record them");
    }
    try (EmotionClassifier classifier = options.builder().build()) {
      LabelSet labels = classifier.labels();
      requireLabelFolders(labels);
      long start = System.nanoTime();
      Evaluation e = Evaluation.evaluate(classifier, folder, batchSize);
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Evaluation.Skipped skipped : e.skipped()) {
        System.err.println("skipped: " + skipped.reason());
      }
      ModelMetadata model = classifier.model();
      System.out.printf(Locale.ROOT, "model:    %s %s%s%nbackend:  %s (%s)%nfolder:   %s%n", model.name(),
          model.version(), options.flipAveraging ? " (flip-averaged)" : "", classifier.backend(), classifier.device(),
          folder);
      System.out.printf(Locale.ROOT, "images:   %d (%.1f s)%s%naccuracy: %.4f%nmacro-F1: %.4f%n%n", e.count(),
          seconds, e.skipped().isEmpty() ? "" : ", " + e.skipped().size() + " unreadable skipped",
          e.accuracy(), e.macroF1());
      System.out.print(table(e));

      Map<String, Object> report = new LinkedHashMap<>();
      Map<String, Object> modelMap = new LinkedHashMap<>();
      modelMap.put("name", model.name());
      modelMap.put("version", model.version());
      report.put("model", modelMap);
      report.put("backend", classifier.backend());
      report.put("flip-averaging", options.flipAveraging);
      report.put("device", classifier.device().toString().toLowerCase(Locale.ROOT));
      report.put("folder", folder.toAbsolutePath().normalize().toString());
      report.putAll(e.toMap());
      Path json = out.resolve(REPORT);
      AtomicFiles.write(json, (new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n")
          .getBytes(StandardCharsets.UTF_8));
      Path png = out.resolve(MATRIX);
      Charts.writeConfusionMatrix(e, "Confusion matrix: " + model.name() + " " + model.version() + " on "
          + folder.toAbsolutePath().normalize().getFileName(), png);
      System.out.printf("%nwrote %s%nwrote %s%n", json, png);
      if (record != null) {
        recordMetrics(e);
      }
    }
    return 0;
  }

  /** Stores the figures in a copy of the evaluated package, keeping earlier metrics under their split. */
  private void recordMetrics(Evaluation e) throws IOException {
    Path source = options.model == null ? null : ClassifierOptions.modelPath(options.model);
    if (source == null) {
      throw new ParameterException(spec.commandLine(), "--record needs --model to be a package path");
    }
    ModelPackage pkg = ModelPackage.load(source);
    Map<String, Object> old = pkg.metadata().provenance().metrics();
    Map<String, Object> metrics = new LinkedHashMap<>();
    String split = folder.toAbsolutePath().normalize().getFileName().toString();
    metrics.put("split", split);
    metrics.put("accuracy", e.accuracy());
    metrics.put("macro-f1", e.macroF1());
    metrics.put("images", e.count());
    metrics.put("per-class-f1", e.f1());
    if (old.containsKey("split") && !split.equals(old.get("split"))) {
      Map<String, Object> earlier = new LinkedHashMap<>(old);
      Object earlierSplit = earlier.remove("split");
      metrics.put(String.valueOf(earlierSplit), earlier);
    }
    pkg.withProvenance(pkg.metadata().provenance().withMetrics(metrics)).save(record);
    System.out.printf("wrote %s (metrics recorded for split %s)%n", record, split);
  }

  /**
   * Formats the per-class table: label, precision, recall, F1, support.
   *
   * @param e the metrics
   * @return the table, one line per label after a header
   */
  static String table(Evaluation e) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-10s %9s %7s %7s %8s%n",
        "label", "precision", "recall", "f1", "support"));
    for (int i = 0; i < e.labels().size(); i++) {
      int support = e.confusion().get(i).stream().mapToInt(Integer::intValue).sum();
      sb.append(String.format(Locale.ROOT, "%-10s %9.4f %7.4f %7.4f %8d%n", e.labels().get(i),
          e.precision().get(i), e.recall().get(i), e.f1().get(i), support));
    }
    return sb.toString();
  }

  private void requireLabelFolders(LabelSet labels) throws IOException {
    List<String> present;
    try (Stream<Path> dirs = Files.list(folder)) {
      present = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
          .filter(n -> labels.indexOf(n).isPresent()).toList();
    }
    boolean anyImage = false;
    for (String name : present) {
      try (Stream<Path> files = Files.list(folder.resolve(name))) {
        anyImage |= files.anyMatch(Files::isRegularFile);
      }
    }
    if (!anyImage) {
      throw new IllegalArgumentException("No images in " + folder + " under folders named after the labels "
          + labels.labels() + "; expected " + folder + "/<label>/<image>");
    }
  }
}
