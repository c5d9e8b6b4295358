package io.github.emotion4j.samples.cli;

import io.github.emotion4j.Device;
import io.github.emotion4j.internal.Backends;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the backends found on the class path and the devices each can use here. */
@Command(name = "backends", mixinStandardHelpOptions = true,
    description = "List the backends and devices that work on this machine, in AUTO's order.")
final class BackendsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    Backends found = Backends.discover();
    System.out.print(table(found.candidates()));
    if (found.candidates().isEmpty()) {
      System.out.println(found.describe());
    }
    return 0;
  }

  /**
   * Asks every backend for its devices, which may start its engine, and only then formats the
   * table: whatever an engine prints while it starts (TensorFlow's native log lines) comes before
   * the table, not between its rows.
   *
   * @param candidates the backends found
   * @return the table, a header and one line per backend
   */
  static String table(List<Backends.Candidate> candidates) {
    StringBuilder sb = new StringBuilder(String.format("%-12s %-5s %-10s %s%n", "BACKEND", "RANK", "DEVICES", "STATUS"));
    for (Backends.Candidate c : candidates) {
      String devices = "-";
      String status = c.availability().available() ? "available" : c.availability().reason();
      if (c.availability().available()) {
        try {
          Set<Device> d = c.backend().devices();
          devices = d.toString().replace(" ", "");
        } catch (RuntimeException e) {
          status = "fails to start: " + e.getMessage();
        }
      }
      sb.append(String.format("%-12s %-5d %-10s %s%n", c.name(), c.backend().rank(), devices, status));
    }
    return sb.toString();
  }
}
