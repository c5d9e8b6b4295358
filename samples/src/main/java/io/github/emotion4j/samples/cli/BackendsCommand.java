package io.github.emotion4j.samples.cli;

import io.github.emotion4j.Device;
import io.github.emotion4j.internal.Backends;
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
    System.out.printf("%-12s %-5s %-10s %s%n", "BACKEND", "RANK", "DEVICES", "STATUS");
    for (Backends.Candidate c : found.candidates()) {
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
      System.out.printf("%-12s %-5d %-10s %s%n", c.name(), c.backend().rank(), devices, status);
    }
    if (found.candidates().isEmpty()) {
      System.out.println(found.describe());
    }
    return 0;
  }
}
