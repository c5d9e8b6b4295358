package io.github.emotion4j.samples.cli;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionClassifierBuilder;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Classifies image files and folders (recursively). */
@Command(name = "classify", mixinStandardHelpOptions = true,
    description = "Print each image's top emotion and probabilities.")
final class ClassifyCommand implements Callable<Integer> {
  private static final List<String> IMAGE_SUFFIXES = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp");

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files or folders.")
  List<Path> inputs;

  @Option(names = "--backend", description = "native, pytorch, onnxruntime, tensorflow or auto.")
  String backend;

  @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--model", description = "A model name or a package path (default: the bundled model).")
  String model;

  @Option(names = "--labels", description = "4 to view results as the paper's four classes.")
  String labels;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  @Option(names = "--csv", description = "CSV with a header.")
  boolean csv;

  @Override
  public Integer call() throws IOException {
    List<Path> files = expand(inputs);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no image files in " + inputs);
    }
    EmotionClassifierBuilder b = EmotionClassifier.builder().device(Device.parse(device));
    if (backend != null) {
      b.backend(backend);
    }
    if (model != null) {
      if (Files.exists(Path.of(model))) {
        b.model(Path.of(model));
      } else {
        b.model(model);
      }
    }
    if (labels != null) {
      b.labels(LabelSet.parse(labels));
    }
    PrintStream out = System.out;
    int failed = 0;
    try (EmotionClassifier classifier = b.build()) {
      LabelSet labelSet = classifier.labels();
      if (csv) {
        out.println("file,top," + String.join(",", labelSet.labels()));
      }
      boolean progress = files.size() > 200 && !json && !csv;
      for (int i = 0; i < files.size(); i++) {
        Path f = files.get(i);
        try {
          print(out, f, classifier.classify(f), labelSet);
        } catch (InvalidImageException e) {
          failed++;
          System.err.println("skipped: " + e.getMessage());
        }
        if (progress && (i + 1) % 100 == 0) {
          System.err.printf("\r%d/%d images", i + 1, files.size());
        }
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
      StringBuilder sb = new StringBuilder(f.toString()).append(',').append(top.label());
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
