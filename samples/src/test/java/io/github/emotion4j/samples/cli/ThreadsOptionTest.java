package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --threads} reaches the engine; a negative count is refused naming it. */
class ThreadsOptionTest {
  @TempDir Path tmp;

  @Test
  void threadsReachPyTorchAndBadCountsAreRefused() throws IOException {
    Path model = tmp.resolve("m.zip");
    TestData.randomPreset(NetworkPreset.LENET, 2).save(model);
    String image = TestData.fer2013Sample("test", 1).get(3).toString();
    CliRun one = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(), "--threads", "1", image);
    assertEquals(0, one.code(), one::toString);
    assertEquals(1, JniUtils.getNumThreads());
    CliRun two = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(), "--threads", "2", image);
    assertEquals(0, two.code(), two::toString);
    assertEquals(2, JniUtils.getNumThreads());
    assertEquals(one.out().split(" ")[1], two.out().split(" ")[1], "the same top label");

    CliRun bad = CliRun.of("classify", "--backend", "onnxruntime", "--model", model.toString(), "--threads", "-2", image);
    assertEquals(1, bad.code(), bad::toString);
    assertTrue(bad.err().startsWith("error: thread counts must be 0 (default) or more, got intra-op -2"), bad::toString);
  }
}
