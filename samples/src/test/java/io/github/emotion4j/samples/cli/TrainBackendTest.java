package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --backend}: which trainer runs, as the trained package's provenance records it; and
 * {@code benchmark --train}, the trainers side by side.
 */
class TrainBackendTest {
  @TempDir
  static Path shared;

  static Path labelled;

  @TempDir
  Path tmp;

  @BeforeAll
  static void images() throws IOException {
    labelled = shared.resolve("labelled");
    for (Path image : TestData.fer2013Sample("test", 6)) {
      Path target = labelled.resolve(image.getParent().getFileName().toString()).resolve(image.getFileName().toString());
      Files.createDirectories(target.getParent());
      Files.copy(image, target);
    }
  }

  private ModelProvenance train(String... backend) {
    Path out = tmp.resolve("m.zip");
    String[] base = {"train", "--train", labelled.toString(), "--val", labelled.toString(), "--preset", "lenet",
        "--epochs", "1", "--batch-size", "16", "--augmentation", "none", "--warmup", "0", "-o", out.toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + backend.length);
    System.arraycopy(backend, 0, args, base.length, backend.length);
    CliRun run = CliRun.of(args);
    assertEquals(0, run.code(), run::toString);
    return ModelPackage.load(out).metadata().provenance();
  }

  @Test
  void nativeTrainsWhenAsked() {
    ModelProvenance p = train("--backend", "native");
    assertEquals("native", p.backend());
    assertEquals("native", p.training().get("backend"));
    assertTrue(p.engine().startsWith("emotion4j native"), p.engine());
  }

  @Test
  void pytorchTrainsByDefault() {
    ModelProvenance p = train();
    assertEquals("pytorch", p.backend());
    assertEquals("auto", p.training().get("backend"));
  }

  @Test
  void benchmarkTrainTimesEachTrainerPerRound() {
    CliRun run = CliRun.of("benchmark", "--train", "--preset", "lenet", "--batch", "4", "--seconds", "0.2",
        "--warmup", "0", "--rounds", "2");
    assertEquals(0, run.code(), run::toString);
    java.util.List<String> rows = run.out().lines().filter(l -> l.contains("training step")).toList();
    assertEquals(4, rows.size(), run::toString);
    assertTrue(rows.get(0).startsWith("| native | cpu | lenet (random weights) | training step, round 1 | 4 |"),
        run::toString);
    assertTrue(rows.get(3).startsWith("| pytorch | cpu | lenet (random weights) | training step, round 2 | 4 |"),
        run::toString);
    assertTrue(run.out().contains("<!-- native: emotion4j native"), run::toString);
  }

  @Test
  void anUnknownTrainerNamesTheOnesThereAre() {
    CliRun run = CliRun.of("train", "--train", labelled.toString(), "--backend", "onnxruntime", "--epochs", "1",
        "-o", tmp.resolve("m.zip").toString());
    assertEquals(1, run.code(), run::toString);
    assertTrue(run.err().contains("No emotion4j trainer named \"onnxruntime\". Available: "), run::toString);
    assertTrue(run.err().contains("native") && run.err().contains("pytorch"), run::toString);
  }
}
