package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fallback to plain loops says so once per JVM, at WARN, with the flag: checked in a child JVM
 * started without {@code --add-modules jdk.incubator.vector} (this module's tests have it), which
 * builds three classifiers and classifies a real image with each.
 */
class PlainKernelWarningTest {

  /**
   * The child JVM's work: three native classifiers on the bundled model.
   *
   * @param args the image to classify
   */
  public static void main(String[] args) {
    for (int i = 0; i < 3; i++) {
      try (EmotionClassifier c = EmotionClassifier.builder().backend("native").build()) {
        System.out.println("top: " + c.classify(Path.of(args[0])).top().label());
      }
    }
  }

  private static String run(String... jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", PlainKernelWarningTest.class.getName(),
        TestData.fer2013Sample("test", 1).get(3).toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not end");
    assertEquals(0, p.exitValue(), out);
    assertEquals(3, out.lines().filter(l -> l.startsWith("top: ")).count(), out);
    return out;
  }

  @Test
  void withoutTheModuleOneWarningNamesTheFlag() throws Exception {
    String out = run();
    List<String> warnings = out.lines().filter(l -> l.contains("WARN")).toList();
    assertEquals(1, warnings.size(), out);
    assertTrue(warnings.get(0).contains(NativeBackend.PLAIN_WARNING), out);
    assertTrue(warnings.get(0).contains("--add-modules jdk.incubator.vector"), out);
  }

  @Test
  void withTheModuleOrPlainLoopsChosenThereIsNone() throws Exception {
    for (String option : List.of("--add-modules=jdk.incubator.vector", "-D" + NativeBackend.VECTOR_PROPERTY + "=false")) {
      String out = run(option);
      assertEquals(0, out.lines().filter(l -> l.contains("WARN") && l.contains("plain-loop")).count(),
          option + "\n" + out);
    }
  }
}
