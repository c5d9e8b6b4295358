package io.github.emotion4j.samples.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code emotion4j} command: one subcommand per task, and {@code generate-completion}, which
 * prints a bash/zsh completion script ({@code source <(emotion4j generate-completion)}).
 */
@Command(
    name = "emotion4j",
    mixinStandardHelpOptions = true,
    versionProvider = Emotion4jCli.Version.class,
    description = "Tells which emotion a face shows, on the engine you pick.",
    subcommands = {
      ClassifyCommand.class,
      EvaluateCommand.class,
      TrainCommand.class,
      CurvesCommand.class,
      ModelsCommand.class,
      BackendsCommand.class,
      BenchmarkCommand.class,
      ExportCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    })
public final class Emotion4jCli {
  /**
   * Runs the tool.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // charts need no display
    }
    System.exit(run(args));
  }

  /**
   * Runs the tool without exiting, for tests and embedding.
   *
   * @param args the command line
   * @return the exit code: 0 success, 1 failure (one line on standard error, no stack trace), 2 usage
   *     error (the message and the command's usage on standard error)
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Emotion4jCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + describe(e));
      cmd.getErr().flush();
      return 1;
    });
    return cli.execute(args);
  }

  /**
   * Says in one line what went wrong, without a stack trace.
   *
   * @param e the failure
   * @return the message
   */
  static String describe(Throwable e) {
    Throwable t = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
    String message = t.getMessage();
    if (t instanceof java.nio.file.NoSuchFileException missing) {
      return "no such file: " + missing.getFile()
          + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")");
    }
    if (t instanceof java.nio.file.FileSystemException fs) {
      return fs.getClass().getSimpleName() + ": " + message;
    }
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (t instanceof io.github.emotion4j.Emotion4jException || t instanceof IllegalArgumentException) {
      return message.replace('\n', ' ');
    }
    return t.getClass().getSimpleName() + ": " + message.replace('\n', ' ');
  }

  /** Prints the library version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"emotion4j " + io.github.emotion4j.internal.Versions.emotion4j()};
    }
  }
}
