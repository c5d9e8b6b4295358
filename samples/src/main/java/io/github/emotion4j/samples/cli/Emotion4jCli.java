package io.github.emotion4j.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code emotion4j} command: one subcommand per task. */
@Command(
    name = "emotion4j",
    mixinStandardHelpOptions = true,
    versionProvider = Emotion4jCli.Version.class,
    description = "Tells which emotion a face shows, on the engine you pick.",
    subcommands = {
      ClassifyCommand.class,
      TrainCommand.class,
      BackendsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Emotion4jCli {
  /**
   * Runs the tool.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the tool without exiting, for tests and embedding.
   *
   * @param args the command line
   * @return the exit code: 0 success, 1 failure, 2 usage error
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Emotion4jCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }

  /** Prints the library version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"emotion4j " + io.github.emotion4j.internal.Versions.emotion4j()};
    }
  }
}
