package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/emotion4j} (src/main/bin, copied to target/bin by the build) runs the README's main
 * command with the Vector API on. Tests run before the build packages the jar, so the launcher is
 * laid out here as the build lays it out: {@code bin/emotion4j} beside {@code emotion4j-cli.jar},
 * a jar whose manifest names the main class and this test's class path.
 */
class LauncherTest {
  @TempDir static Path home;
  static Path launcher;

  @BeforeAll
  static void layOut() throws IOException {
    launcher = Files.createDirectories(home.resolve("bin")).resolve("emotion4j");
    Files.copy(Path.of("src/main/bin/emotion4j"), launcher);
    assertTrue(launcher.toFile().setExecutable(true), "chmod +x");
    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.put(Attributes.Name.MAIN_CLASS, Emotion4jCli.class.getName());
    List<String> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classPath.add(Path.of(entry).toUri().toString());
    }
    a.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    try (OutputStream out = Files.newOutputStream(home.resolve("emotion4j-cli.jar"));
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      // the manifest is the whole jar
    }
  }

  private static String run(Path script, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the launcher did not end");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void runsTheMainCommandWithTheVectorApiOn() throws Exception {
    String out = run(launcher, Map.of("EMOTION4J_OPTS", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"),
        "classify", Path.of("images").toAbsolutePath().toString());
    assertTrue(out.lines().anyMatch(l -> l.endsWith("happy.jpg: happy (92.7%)  happy 92.7%  neutral 4.3%  surprise 1.4%"
        + "  sad 0.7%  angry 0.5%  fear 0.4%  disgust 0.0%")), out);
    assertTrue(out.contains("sad.jpg: sad ("), out);
    assertTrue(out.contains("Using incubator modules: jdk.incubator.vector"), out);
    assertTrue(out.contains("emotion4j classifier: backend native"), "EMOTION4J_OPTS reached the JVM:\n" + out);
    assertFalse(out.contains("plain-loop"), out);
  }

  @Test
  void worksThroughASymbolicLink() throws Exception {
    Path link = Files.createSymbolicLink(home.resolve("emotion4j-link"), launcher);
    String out = run(link, Map.of(), "--version");
    assertTrue(out.lines().anyMatch(l -> l.startsWith("emotion4j ")), out);
  }
}
