package io.github.emotion4j.samples.cli;

import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.zoo.ModelSource;
import io.github.emotion4j.zoo.ModelZoo;
import io.github.emotion4j.zoo.ZooEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists the models the tool knows: the bundled ones, and any packages named on the command line. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"List the bundled models (and the model packages given as arguments) with their "
        + "labels, parameters, size and the validation and test accuracy their provenance records.",
        "A folder argument is searched (one level) for .zip packages and package folders."})
final class ModelsCommand implements Callable<Integer> {
  private static final String ROW = "%-24s %-12s %-7s %10s %9s %8s %8s  %s%n";

  /** The {@code PACKAGE} parameter. */
  @Parameters(arity = "0..*", paramLabel = "PACKAGE", description = "Model package zips or folders, or folders of them.")
  List<Path> packages = new ArrayList<>();

  /** The {@code --write-index} option. */
  @picocli.CommandLine.Option(names = "--write-index", paramLabel = "DIR",
      description = "Write the zoo index.json for the package zips in DIR (a local directory, a mirror, or the bundled models' resources) and exit.")
  Path indexDir;

  /** The {@code --pull} option. */
  @picocli.CommandLine.Option(names = "--pull", paramLabel = "NAME[:VERSION]",
      description = "Download a model from the configured mirror into the cache (with a progress bar) and exit.")
  String pull;

  /** This command, as picocli parsed it. */
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (pull != null) {
      ProgressBar[] bar = new ProgressBar[1];
      ZooEntry got = ModelZoo.builder().progress((model, done, total) -> {
        if (total > 0) {
          if (bar[0] == null) {
            bar[0] = new ProgressBar(System.err, (int) Math.max(1, total / 1024), "KiB");
          }
          bar[0].update((int) (done / 1024));
        }
      }).build().fetch(pull);
      if (bar[0] != null) {
        bar[0].finish();
      }
      System.out.printf("%s is in the cache (%s, %s)%n", got.spec(), human(got.sizeBytes()), got.location());
      return 0;
    }
    if (indexDir != null) {
      for (ZooEntry e : ModelZoo.writeIndex(indexDir)) {
        System.out.printf("indexed %s (%s)%n", e.spec(), e.location());
      }
      return 0;
    }
    for (Path p : packages) {
      if (!Files.exists(p)) {
        throw new ParameterException(spec.commandLine(), "No model package at " + p + " (no such file or folder)");
      }
    }
    System.out.printf(ROW, "NAME", "VERSION", "LABELS", "PARAMS", "SIZE", "VAL-ACC", "TEST-ACC", "SOURCE");
    int listed = 0;
    int failed = 0;
    ModelZoo zoo = ModelZoo.fromEnvironment();
    for (ZooEntry entry : zoo.listModels()) {
      String where = entry.source().name().toLowerCase(Locale.ROOT);
      try {
        if (entry.source() == ModelSource.REMOTE) { // listed from the mirror's index, not downloaded
          System.out.printf(Locale.ROOT, ROW, entry.name(), entry.version(), entry.labels().size() + "",
              "-", human(entry.sizeBytes()), "-", percent(entry.accuracy() > 0 ? entry.accuracy() : null),
              where + " " + entry.location());
        } else {
          print(zoo.load(entry), entry.sizeBytes(), where);
        }
        listed++;
      } catch (RuntimeException e) {
        failed++;
        System.err.println("unreadable model " + entry.spec() + ": " + e.getMessage());
      }
    }
    for (Path p : expand(packages)) {
      try {
        print(ModelPackage.load(p), size(p), p.toString());
        listed++;
      } catch (RuntimeException e) {
        failed++;
        System.err.println("unreadable model package " + p + ": " + e.getMessage());
      }
    }
    if (listed == 0 && failed == 0) {
      System.out.println("(no model found: none is bundled on the class path yet; pass package paths to list them)");
    }
    return failed > 0 && listed == 0 ? 1 : 0;
  }

  private static void print(ModelPackage m, long bytes, String source) {
    Map<String, Object> metrics = m.metadata().provenance().metrics();
    System.out.printf(Locale.ROOT, ROW, m.metadata().name(), m.metadata().version(),
        m.labels().size() + "", String.format(Locale.ROOT, "%,d", m.summary().parameters()), human(bytes),
        percent(accuracy(metrics, "validation")), percent(accuracy(metrics, "test")), source);
  }

  /**
   * Finds a split's accuracy in provenance metrics: {@code accuracy} when {@code split} names it, else
   * {@code <split>-accuracy} (or {@code val-accuracy}), else a nested {@code <split>} map's {@code
   * accuracy}.
   *
   * @param metrics the provenance metrics
   * @param split {@code validation} or {@code test}
   * @return the accuracy, or null if not recorded
   */
  static Double accuracy(Map<String, Object> metrics, String split) {
    Object s = metrics.get("split");
    if (s != null && (s.equals(split) || (split.equals("validation") && s.equals("val")))
        && metrics.get("accuracy") instanceof Number n) {
      return n.doubleValue();
    }
    for (String key : List.of(split + "-accuracy", split.equals("validation") ? "val-accuracy" : split + "-acc")) {
      if (metrics.get(key) instanceof Number n) {
        return n.doubleValue();
      }
    }
    if (metrics.get(split) instanceof Map<?, ?> nested && nested.get("accuracy") instanceof Number n) {
      return n.doubleValue();
    }
    return null;
  }

  private static String percent(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  /**
   * Formats a byte count as B, KiB or MiB.
   *
   * @param bytes the count; negative for unknown
   * @return e.g. {@code 614.6 KiB}, or {@code ?}
   */
  static String human(long bytes) {
    if (bytes < 0) {
      return "?";
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  private static long size(Path p) throws IOException {
    if (Files.isRegularFile(p)) {
      return Files.size(p);
    }
    try (Stream<Path> files = Files.walk(p)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** Packages as given; a folder that is not itself a package contributes its zips and package folders. */
  private static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p) && !Files.exists(p.resolve(ModelPackage.METADATA_FILE))) {
        try (Stream<Path> children = Files.list(p)) {
          children.sorted().filter(c -> c.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")
              || Files.isRegularFile(c.resolve(ModelPackage.METADATA_FILE))).forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
