package io.github.emotion4j.samples.cli;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ScoredLabel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Classifies image files and folders (recursively). */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = {"Print each image's top emotion and probabilities.",
        "Folders are searched recursively for .jpg, .jpeg, .png, .bmp, .gif and .webp files (the format "
            + "is read from the content, not the name). A missing folder is a usage error; a file "
            + "that cannot be read is reported and counted, and the others go on; the exit code is 1 "
            + "only when no image could be classified."})
final class ClassifyCommand implements Callable<Integer> {
  private static final List<String> IMAGE_SUFFIXES = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp");
  /** Above this many files a progress bar is drawn on standard error unless --no-progress. */
  static final int PROGRESS_THRESHOLD = 200;
  private static final int CHUNK = 32;

  /** The {@code PATH} parameter. */
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or folders.")
  List<Path> inputs;

  /** The backend, device, model and label options. */
  @Mixin
  ClassifierOptions options = new ClassifierOptions();

  /** The {@code --json} option. */
  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  /** The {@code --csv} option. */
  @Option(names = "--csv", description = "CSV with a header.")
  boolean csv;

  /** The {@code --progress} option. */
  @Option(names = "--progress", negatable = true,
      description = "Draw a progress bar on standard error (default: only above " + PROGRESS_THRESHOLD + " files).")
  Boolean progress;

  /** This command, as picocli parsed it. */
  @Spec
  CommandSpec spec;

  /** The {@code --faces} option. */
  @Option(names = "--faces", description = "Find every face in each photo and classify each (largest first).")
  boolean faces;

  /** The {@code --draw} option. */
  @Option(names = "--draw", paramLabel = "DIR", description = "With --faces: write a PNG copy of each photo with boxes and labels here.")
  Path drawDir;

  /** The {@code --min-face} option. */
  @Option(names = "--min-face", defaultValue = "20", description = "With --faces: smallest face side in pixels (default ${DEFAULT-VALUE}).")
  int minFaceSize;

  /** The {@code --margin} option. */
  @Option(names = "--margin", defaultValue = "0.1", description = "With --faces: margin added around each box, as a fraction (default ${DEFAULT-VALUE}).")
  double margin;

  @Override
  public Integer call() throws IOException {
    if (json && csv) {
      throw new ParameterException(spec.commandLine(), "--json and --csv cannot be combined");
    }
    for (Path p : inputs) {
      if (!Files.exists(p) && !isImage(p)) {
        // a missing image file is reported and skipped below; a missing folder is a usage error
        throw new ParameterException(spec.commandLine(), "No such file or folder: " + p);
      }
    }
    List<Path> files = expand(inputs);
    if (files.isEmpty()) {
      System.err.println("error: no image files in " + inputs);
      return 1;
    }
    if (faces) {
      return FacesMode.run(options, files, drawDir, minFaceSize, margin,
          json ? FacesMode.Format.JSON : csv ? FacesMode.Format.CSV : FacesMode.Format.TEXT);
    }
    PrintStream out = System.out;
    int failed = 0;
    try (EmotionClassifier classifier = options.builder().build()) {
      LabelSet labelSet = classifier.labels();
      if (csv) {
        out.println("file,top," + String.join(",", labelSet.labels()));
      }
      ProgressBar bar = (progress != null ? progress : files.size() > PROGRESS_THRESHOLD)
          ? new ProgressBar(System.err, files.size(), "img") : null;
      for (int from = 0; from < files.size(); from += CHUNK) {
        List<Path> chunk = files.subList(from, Math.min(files.size(), from + CHUNK));
        List<EmotionScores> scores = null;
        try {
          scores = classifier.classifyFiles(chunk);
        } catch (InvalidImageException e) {
          // one bad file: classify this chunk one by one so the others still go through
        }
        for (int i = 0; i < chunk.size(); i++) {
          Path f = chunk.get(i);
          try {
            print(out, f, scores != null ? scores.get(i) : classifier.classify(f), labelSet);
          } catch (InvalidImageException e) {
            failed++;
            if (bar != null) {
              bar.finish();
            }
            System.err.println("skipped: " + e.getMessage());
          }
        }
        if (bar != null) {
          bar.update(from + chunk.size());
        }
      }
      if (bar != null) {
        bar.finish();
      }
    }
    if (failed > 0) {
      System.err.printf("%d of %d images could not be read%n", failed, files.size());
    }
    return failed == files.size() ? 1 : 0;
  }

  private void print(PrintStream out, Path f, EmotionScores s, LabelSet labels) {
    ScoredLabel top = s.top();
    if (json) {
      StringBuilder sb = new StringBuilder("{\"file\":\"").append(f.toString().replace("\\", "\\\\")
          .replace("\"", "\\\"")).append("\",\"top\":\"").append(top.label()).append("\",\"scores\":{");
      for (int i = 0; i < labels.size(); i++) {
        sb.append(i == 0 ? "" : ",").append('"').append(labels.get(i)).append("\":")
            .append(String.format(Locale.ROOT, "%.6f", s.probabilities().get(i)));
      }
      out.println(sb.append("}}"));
    } else if (csv) {
      StringBuilder sb = new StringBuilder(FacesMode.csvField(f.toString())).append(',').append(top.label());
      for (double p : s.probabilities()) {
        sb.append(String.format(Locale.ROOT, ",%.6f", p));
      }
      out.println(sb);
    } else {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %s (%.1f%%)", f, top.label(),
          100 * top.probability()));
      for (ScoredLabel l : s.sorted()) {
        sb.append(String.format(Locale.ROOT, "  %s %.1f%%", l.label(), 100 * l.probability()));
      }
      out.println(sb);
    }
  }

  /**
   * Lists the image files: folders recursively (sorted), files as given, even if missing.
   *
   * @param inputs files and folders
   * @return the files
   * @throws IOException if a folder cannot be walked
   */
  static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(ClassifyCommand::isImage).sorted().forEach(files::add);
        }
      } else {
        files.add(p); // a missing or unreadable file is reported by the classifier
      }
    }
    return files;
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return IMAGE_SUFFIXES.stream().anyMatch(n::endsWith);
  }
}
