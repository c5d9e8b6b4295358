package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code emotion4j generate-completion}: picocli's bash completion script for the tool. */
class GenerateCompletionTest {

  /** The script is bash, registers a completion function and has one per subcommand. */
  @Test
  void printsABashCompletionScriptForEverySubcommand() {
    CliRun run = CliRun.of("generate-completion");
    assertEquals(0, run.code(), run::toString);
    assertEquals("", run.err(), run::toString);
    String script = run.out();
    assertTrue(script.startsWith("#!/usr/bin/env bash"), () -> script.lines().findFirst().orElse(""));
    assertTrue(script.contains("complete -F _complete_emotion4j"), "registers the completion function");
    for (String command : List.of("classify", "evaluate", "train", "curves", "models", "backends", "benchmark",
        "export", "help")) {
      assertTrue(script.contains("function _picocli_emotion4j_" + command + "()"),
          () -> "no completion function for " + command);
    }
    // the commands' options are completed too
    assertTrue(script.contains("--faces"), "classify's --faces");
    assertTrue(script.contains("--format"), "export's --format");
    assertTrue(script.lines().noneMatch(l -> l.endsWith("\r")), "Unix line ends");
  }

  /** The subcommand shows in {@code --help}. */
  @Test
  void isListedInTheHelp() {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.code(), help::toString);
    assertTrue(help.out().contains("  generate-completion "), help::toString);
  }
}
