package io.github.emotion4j.samples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Draws training curves from a run's history.json. */
@Command(name = "curves", mixinStandardHelpOptions = true,
    description = "Draw loss and accuracy per epoch, training against validation, from the history.json "
        + "that train writes (in its checkpoint folder and beside its output).")
final class CurvesCommand implements Callable<Integer> {
  /** The {@code HISTORY} parameter. */
  @Parameters(index = "0", paramLabel = "HISTORY", description = "A history.json file, or a checkpoint folder holding one.")
  Path history;

  /** The {@code --output} option. */
  @Option(names = {"-o", "--output"}, required = true, paramLabel = "PNG", description = "The PNG file to write.")
  Path output;

  /** The {@code --title} option. */
  @Option(names = "--title", description = "The chart title (default: the history's folder name).")
  String title;

  /** This command, as picocli parsed it. */
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(history)) {
      throw new ParameterException(spec.commandLine(), "No training history at " + history + " (no such file)");
    }
    List<Map<String, Object>> epochs = Charts.readHistory(history);
    Path abs = history.toAbsolutePath().normalize();
    Path named = Files.isDirectory(abs) ? abs : abs.getParent();
    String t = title != null ? title
        : "Training curves" + (named != null && named.getFileName() != null ? ": " + named.getFileName() : "");
    Charts.writeTrainingCurves(epochs, t, output);
    System.out.printf("%d epochs -> %s%n", epochs.size(), output);
    return 0;
  }
}
