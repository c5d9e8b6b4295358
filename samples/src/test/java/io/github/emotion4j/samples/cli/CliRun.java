package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the tool with standard output and error captured.
 *
 * @param code the exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
record CliRun(int code, String out, String err) {

  /** Runs {@link Emotion4jCli#run} with System.out and System.err captured. */
  static synchronized CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Emotion4jCli.run(args);
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    CliRun run = new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    run.assertNoStackTrace();
    return run;
  }

  /** Fails if anything printed looks like a stack trace. */
  void assertNoStackTrace() {
    for (String s : new String[] {out, err}) {
      assertFalse(s.contains("\tat ") || s.contains("Exception in thread") || s.contains("Caused by:"),
          () -> "stack trace printed:\n" + s);
    }
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out ---\n" + out + "--- err ---\n" + err;
  }
}
