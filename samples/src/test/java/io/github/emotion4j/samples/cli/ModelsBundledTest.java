package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.internal.ModelResolver;
import io.github.emotion4j.zoo.ModelZoo;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code models} lists a model bundled on the class path: a tiny package is written under the test
 * classes folder for the duration of this class, where {@link ModelResolver} looks.
 */
class ModelsBundledTest {
  private static final String NAME = "zz-test-bundled";
  private static Path zip;

  @BeforeAll
  static void bundle() throws IOException, URISyntaxException {
    Path classes = Path.of(ModelsBundledTest.class.getResource("/").toURI());
    zip = classes.resolve(ModelResolver.BUNDLED_PREFIX).resolve(NAME + ".zip");
    TestData.randomPackage(NAME, InputContract.FER2013,
        List.of(new LayerSpec.Flatten(), new LayerSpec.Dense(7, true)), LabelSet.FER2013, 5).save(zip);
    ModelZoo.writeIndex(zip.getParent()); // bundled models are listed from their index
  }

  @AfterAll
  static void unbundle() throws IOException {
    Files.deleteIfExists(zip);
    Files.deleteIfExists(zip.resolveSibling(ModelZoo.INDEX_FILE));
  }

  @Test
  void bundledModelsAreFoundAndListed() {
    assertTrue(ModelZoo.fromEnvironment().listModels().stream().anyMatch(e -> e.name().equals(NAME)));
    CliRun run = CliRun.of("models");
    assertEquals(0, run.code(), run::toString);
    String row = run.out().lines().filter(l -> l.startsWith(NAME)).findFirst()
        .orElseThrow(() -> new AssertionError(run));
    assertTrue(row.endsWith("bundled"), row);
    assertTrue(row.contains("16,135"), row); // 2304 × 7 weights + 7 biases
  }
}
