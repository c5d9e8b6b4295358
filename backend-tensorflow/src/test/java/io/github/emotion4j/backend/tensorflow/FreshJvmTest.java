package io.github.emotion4j.backend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts child JVMs with an empty cache folder and nothing set but that folder and offline mode:
 * the first extracts TensorFlow's natives, loads them and classifies a real image; the second
 * reuses the folder. Nothing is downloaded and JavaCPP makes no copy of its own.
 */
class FreshJvmTest {
  @TempDir
  Path cache;

  @Test
  void aFreshJvmExtractsLoadsAndClassifiesThenASecondReuses() throws Exception {
    Path image = TestData.fer2013Sample("test", 1).get(3);
    Path javacpp = cache.resolve("javacpp-home");
    String first = runChild(image, javacpp);
    assertTrue(first.contains("EXTRACTED true"), first);
    assertTrue(first.contains("TOP "), first);
    Path natives = cache.resolve("tensorflow-1.0.0-rc.1-linux-x86_64");
    assertTrue(Files.size(natives.resolve("libtensorflow_cc.so.2")) > 100_000_000L);
    assertTrue(!Files.exists(javacpp.resolve("cache").resolve("tensorflow-core-native-1.0.0-rc.1-linux-x86_64.jar")),
        "JavaCPP extracted a second copy");
    long mtime = Files.getLastModifiedTime(natives.resolve("libtensorflow_cc.so.2")).toMillis();
    String second = runChild(image, javacpp);
    assertTrue(second.contains("EXTRACTED false"), second);
    assertEquals(mtime, Files.getLastModifiedTime(natives.resolve("libtensorflow_cc.so.2")).toMillis());
    assertEquals(line(first, "TOP "), line(second, "TOP "), "same result in both JVMs");
  }

  private String runChild(Path image, Path javacppHome) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-D" + TensorFlowNatives.CACHE_DIR_PROPERTY + "=" + cache);
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Duser.home=" + javacppHome); // where JavaCPP would put its own cache
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Child.class.getName());
    cmd.add(image.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove(TensorFlowNatives.LIBRARY_PATH);
    pb.environment().remove(TensorFlowNatives.CACHE_DIR_ENV);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
    String text = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text;
  }

  private static String line(String text, String prefix) {
    return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
  }

  /** The child JVM's main: classify one image with the tensorflow backend, print the result. */
  public static final class Child {
    private Child() {}

    /**
     * Runs the child.
     *
     * @param args the image path
     */
    public static void main(String[] args) {
      Path dir = TensorFlowNatives.cacheRoot().resolve("tensorflow-" + TensorFlowNatives.version()
          + "-" + TensorFlowNatives.platform());
      boolean existed = Files.exists(dir);
      try (EmotionClassifier c = EmotionClassifier.builder().backend("tensorflow").device(Device.CPU)
          .model(TestData.randomPreset(NetworkPreset.LENET, 5)).build()) {
        EmotionScores s = c.classify(Path.of(args[0]));
        System.out.println("EXTRACTED " + !existed);
        System.out.println("LIBRARY_PATH " + System.getProperty(TensorFlowNatives.LIBRARY_PATH)
            .replace(File.separatorChar, '/'));
        System.out.println("TOP " + s.top().label() + " " + s.probabilities());
      }
    }
  }
}
