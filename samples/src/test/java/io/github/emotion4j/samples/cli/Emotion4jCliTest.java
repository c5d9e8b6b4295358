package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.train.Evaluation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the tool's commands in-process on real FER2013 images with the PyTorch backend and a
 * test-made LeNet package, checking output, files and exit codes.
 */
class Emotion4jCliTest {
  private static final int PER_LABEL = 5;

  @TempDir
  static Path shared;

  static Path model;
  static Path labelled;
  static ModelPackage pkg;

  @TempDir
  Path tmp;

  @BeforeAll
  static void makeModelAndImages() throws IOException {
    pkg = TestData.randomPreset(NetworkPreset.LENET, 11);
    pkg = pkg.withProvenance(pkg.metadata().provenance().withMetrics(
        Map.of("split", "validation", "accuracy", 0.5, "macro-f1", 0.4, "test-accuracy", 0.625)));
    model = shared.resolve("test-lenet.zip");
    pkg.save(model);
    labelled = shared.resolve("labelled");
    for (Path image : TestData.fer2013Sample("test", PER_LABEL)) {
      Path target = labelled.resolve(image.getParent().getFileName().toString()).resolve(image.getFileName().toString());
      Files.createDirectories(target.getParent());
      Files.copy(image, target);
    }
  }

  private static BufferedImage png(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), () -> file + " was not written");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, () -> file + " is not a readable PNG");
    return image;
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
  }

  // ---- evaluate ----

  @Test
  void evaluatePrintsMetricsAndWritesReportAndMatrix() throws IOException {
    Path out = tmp.resolve("report");
    CliRun run = CliRun.of("evaluate", labelled.toString(), "--backend", "pytorch", "--model", model.toString(),
        "--out", out.toString());
    assertEquals(0, run.code(), run::toString);

    Evaluation expected;
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").model(model).build()) {
      expected = Evaluation.evaluate(c, labelled, 64);
    }
    assertTrue(run.out().contains("model:    test-lenet 0.0.1-test"), run::toString);
    assertTrue(run.out().contains("backend:  pytorch (CPU)"), run::toString);
    assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "accuracy: %.4f", expected.accuracy())), run::toString);
    assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "macro-F1: %.4f", expected.macroF1())), run::toString);
    assertTrue(run.out().contains(EvaluateCommand.table(expected)), run::toString);
    for (String label : LabelSet.FER2013.labels()) {
      assertTrue(Pattern.compile("(?m)^" + label + " +\\d\\.\\d{4} +\\d\\.\\d{4} +\\d\\.\\d{4} +" + PER_LABEL + "$")
          .matcher(run.out()).find(), () -> label + " row missing\n" + run);
    }

    JsonObject report = json(out.resolve("evaluation.json"));
    assertEquals("test-lenet", report.getAsJsonObject("model").get("name").getAsString());
    assertEquals("0.0.1-test", report.getAsJsonObject("model").get("version").getAsString());
    assertEquals("pytorch", report.get("backend").getAsString());
    assertEquals(7 * PER_LABEL, report.get("images").getAsInt());
    assertEquals(expected.accuracy(), report.get("accuracy").getAsDouble(), 1e-12);
    assertEquals(expected.macroF1(), report.get("macro-f1").getAsDouble(), 1e-12);
    JsonArray confusion = report.getAsJsonArray("confusion");
    assertEquals(7, confusion.size());
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        assertEquals(expected.confusion().get(i).get(j), confusion.get(i).getAsJsonArray().get(j).getAsInt());
      }
    }
    assertEquals(expected.recall().get(3),
        report.getAsJsonObject("per-class").getAsJsonObject("happy").get("recall").getAsDouble(), 1e-12);

    BufferedImage matrix = png(out.resolve("confusion-matrix.png"));
    assertEquals(Charts.MATRIX_WIDTH, matrix.getWidth());
    assertEquals(Charts.MATRIX_HEIGHT, matrix.getHeight());
    try (var left = Files.list(out)) {
      assertEquals(2, left.count(), "only the report and the matrix, no temporary files");
    }
  }

  @Test
  void evaluateWithFlipAveragingScoresAsTheFlipAveragingClassifier() throws IOException {
    Path out = tmp.resolve("flip");
    CliRun run = CliRun.of("evaluate", labelled.toString(), "--backend", "pytorch", "--model", model.toString(),
        "--flip-averaging", "--out", out.toString());
    assertEquals(0, run.code(), run::toString);
    Evaluation expected;
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").model(model).flipAveraging(true).build()) {
      expected = Evaluation.evaluate(c, labelled, 64);
    }
    assertTrue(run.out().contains("model:    test-lenet 0.0.1-test (flip-averaged)"), run::toString);
    JsonObject report = json(out.resolve("evaluation.json"));
    assertTrue(report.get("flip-averaging").getAsBoolean());
    assertEquals(expected.accuracy(), report.get("accuracy").getAsDouble(), 1e-12);

    CliRun record = CliRun.of("evaluate", labelled.toString(), "--backend", "pytorch", "--model", model.toString(),
        "--flip-averaging", "--out", out.toString(), "--record", tmp.resolve("recorded.zip").toString());
    assertEquals(2, record.code(), record::toString);
    assertTrue(record.err().contains("--record stores the model's own figures"), record::toString);
    assertFalse(Files.exists(tmp.resolve("recorded.zip")));
  }

  @Test
  void evaluateSkipsUnreadableFilesNamesThemAndScoresTheRest() throws IOException {
    Path folder = tmp.resolve("mixed");
    for (String label : List.of("happy", "sad")) {
      Files.createDirectories(folder.resolve(label));
      try (var images = Files.list(labelled.resolve(label))) {
        for (Path image : images.toList()) {
          Files.copy(image, folder.resolve(label).resolve(image.getFileName()));
        }
      }
    }
    Path text = Files.writeString(folder.resolve("happy/notes.jpg"), "not an image");
    byte[] jpeg = Files.readAllBytes(TestData.otherFaces().resolve("Alessandra_Cerna_0001.jpg"));
    Path half = Files.write(folder.resolve("sad/half.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
    Path empty = Files.createFile(folder.resolve("sad/empty.png"));
    // A WebP with a .jpg name is not unreadable: it is found by its content and scored.
    Files.write(folder.resolve("happy/webp-named.jpg"), TestData.imageFormat("face-webp-named.jpg"));

    Path out = tmp.resolve("report");
    CliRun run = CliRun.of("evaluate", folder.toString(), "--backend", "pytorch", "--model", model.toString(),
        "--out", out.toString());
    assertEquals(0, run.code(), run::toString);
    int scored = 2 * PER_LABEL + 1;
    assertTrue(run.out().contains("images:   " + scored + " ("), run::toString);
    assertTrue(run.out().contains(", 3 unreadable skipped"), run::toString);
    for (Path bad : List.of(text, half, empty)) {
      assertTrue(run.err().contains("skipped: Image " + bad), () -> bad + " not named\n" + run);
    }
    JsonObject report = json(out.resolve("evaluation.json"));
    assertEquals(scored, report.get("images").getAsInt());
    assertEquals(3, report.get("skipped").getAsInt());
    JsonArray files = report.getAsJsonArray("skipped-files");
    assertEquals(List.of(text.toString(), empty.toString(), half.toString()),
        files.asList().stream().map(f -> f.getAsJsonObject().get("file").getAsString()).toList());
    assertTrue(files.get(0).getAsJsonObject().get("reason").getAsString().contains("not in a readable image format"),
        report::toString);

    Evaluation direct;
    try (EmotionClassifier c = EmotionClassifier.builder().backend("pytorch").model(model).build()) {
      direct = Evaluation.evaluate(c, folder, 4);
    }
    assertEquals(scored, direct.count());
    assertEquals(List.of(text, empty, half), direct.skipped().stream().map(Evaluation.Skipped::file).toList());
    assertEquals(report.get("accuracy").getAsDouble(), direct.accuracy(), 1e-12, "batch size changes nothing");
  }

  @Test
  void evaluateWithOnlyUnreadableFilesFailsNamingOne() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("bad/happy"));
    Path text = Files.writeString(folder.resolve("a.jpg"), "not an image");
    CliRun run = CliRun.of("evaluate", tmp.resolve("bad").toString(), "--backend", "pytorch",
        "--model", model.toString(), "-o", tmp.toString());
    assertEquals(1, run.code(), run::toString);
    assertTrue(run.err().contains("error: None of the 1 files in " + tmp.resolve("bad") + " could be read; "
        + "the first: Image " + text), run::toString);
    assertFalse(Files.exists(tmp.resolve("evaluation.json")), "no report without figures");
  }

  @Test
  void evaluateWithFourLabelsLeavesTheOtherFoldersOut() throws IOException {
    CliRun run = CliRun.of("evaluate", labelled.toString(), "--backend", "pytorch", "--model", model.toString(),
        "--labels", "4", "-o", tmp.toString());
    assertEquals(0, run.code(), run::toString);
    JsonObject report = json(tmp.resolve("evaluation.json"));
    assertEquals(4 * PER_LABEL, report.get("images").getAsInt());
    assertEquals(List.of("angry", "happy", "neutral", "sad"),
        report.getAsJsonArray("labels").asList().stream().map(e -> e.getAsString()).toList());
    assertFalse(run.out().contains("disgust"), run::toString);
  }

  @Test
  void evaluateMissingFolderIsAUsageError() {
    CliRun run = CliRun.of("evaluate", tmp.resolve("nowhere").toString(), "--backend", "pytorch",
        "--model", model.toString());
    assertEquals(2, run.code(), run::toString);
    assertTrue(run.err().contains("No labelled folder at " + tmp.resolve("nowhere") + " (no such folder)"), run::toString);
    assertTrue(run.err().contains("Usage: emotion4j evaluate"), run::toString);
  }

  @Test
  void evaluateMissingModelFailsWithOneLine() {
    CliRun run = CliRun.of("evaluate", labelled.toString(), "--backend", "pytorch",
        "--model", tmp.resolve("missing.zip").toString(), "-o", tmp.toString());
    assertEquals(1, run.code(), run::toString);
    assertEquals("error: No model package at " + tmp.resolve("missing.zip") + " (no such file or folder)",
        run.err().strip(), run::toString);
  }

  @Test
  void evaluateUnknownBackendNamesWhatExists() {
    CliRun run = CliRun.of("evaluate", labelled.toString(), "--backend", "nope", "--model", model.toString(),
        "-o", tmp.toString());
    assertEquals(1, run.code(), run::toString);
    assertTrue(run.err().startsWith("error: No emotion4j backend named \"nope\""), run::toString);
    assertTrue(run.err().contains("pytorch"), run::toString);
    assertEquals(1, run.err().strip().lines().count(), run::toString);
  }

  @Test
  void evaluateFolderWithoutLabelFoldersFails() throws IOException {
    Files.createDirectories(tmp.resolve("empty/unrelated"));
    CliRun run = CliRun.of("evaluate", tmp.resolve("empty").toString(), "--backend", "pytorch",
        "--model", model.toString(), "-o", tmp.toString());
    assertEquals(1, run.code(), run::toString);
    assertTrue(run.err().startsWith("error: No images in "), run::toString);
  }

  // ---- classify ----

  @Test
  void classifyReportsAMissingFileAndGoesOn() {
    Path missing = tmp.resolve("missing.jpg");
    CliRun run = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(),
        labelled.resolve("happy").toString(), missing.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals(PER_LABEL, run.out().lines().count(), run::toString);
    assertTrue(run.out().lines().allMatch(l -> l.matches(".*\\.jpg: \\w+ \\(\\d+\\.\\d%\\)( +\\w+ \\d+\\.\\d%){7}")),
        run::toString);
    assertTrue(run.err().contains("skipped: Image " + missing + " does not exist"), run::toString);
    assertTrue(run.err().contains("1 of " + (PER_LABEL + 1) + " images could not be read"), run::toString);
  }

  @Test
  void classifyAMissingFolderIsAUsageError() {
    Path missing = tmp.resolve("missing");
    CliRun run = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(), missing + "/");
    assertEquals(2, run.code(), run::toString);
    assertTrue(run.err().contains("No such file or folder: " + missing), run::toString);
    assertTrue(run.err().contains("Usage: emotion4j classify"), run::toString);
  }

  @Test
  void classifyFindsWebpByItsContentAndQuotesCsvFields() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("odd, names"));
    Files.write(folder.resolve("webp-named.jpg"), TestData.imageFormat("face-webp-named.jpg"));
    Files.write(folder.resolve("lossless.webp"), TestData.imageFormat("face-lossless.webp"));
    CliRun run = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(), "--csv",
        folder.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals("", run.err(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(3, lines.size(), run::toString);
    assertTrue(lines.get(1).startsWith("\"" + folder.resolve("lossless.webp") + "\","), lines.get(1));
    assertTrue(lines.get(2).startsWith("\"" + folder.resolve("webp-named.jpg") + "\","), lines.get(2));
  }

  @Test
  void classifyFailsOnlyWhenNothingCouldBeClassified() throws IOException {
    Path notImage = Files.writeString(tmp.resolve("notes.jpg"), "not an image");
    CliRun run = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(),
        notImage.toString(), tmp.resolve("missing.png").toString());
    assertEquals(1, run.code(), run::toString);
    assertEquals("", run.out());
    assertTrue(run.err().contains("2 of 2 images could not be read"), run::toString);
  }

  @Test
  void classifyJsonCsvAndProgress() {
    CliRun json = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(), "--json",
        "--progress", labelled.toString());
    assertEquals(0, json.code(), json::toString);
    List<String> lines = json.out().lines().toList();
    assertEquals(7 * PER_LABEL, lines.size());
    JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals(7, first.getAsJsonObject("scores").size());
    double sum = first.getAsJsonObject("scores").entrySet().stream().mapToDouble(e -> e.getValue().getAsDouble()).sum();
    assertEquals(1, sum, 1e-5);
    assertTrue(json.err().contains("35/35 100%"), json::toString);

    CliRun csv = CliRun.of("classify", "--backend", "pytorch", "--model", model.toString(), "--csv",
        "--labels", "4", labelled.resolve("sad").toString());
    assertEquals(0, csv.code(), csv::toString);
    assertEquals("file,top,angry,happy,neutral,sad", csv.out().lines().findFirst().orElseThrow());
    assertEquals(PER_LABEL + 1, csv.out().lines().count());
    assertFalse(csv.err().contains("100%"), "no progress bar for a few files");
  }

  @Test
  void classifyUsageErrors() {
    CliRun both = CliRun.of("classify", "--json", "--csv", labelled.toString());
    assertEquals(2, both.code(), both::toString);
    assertTrue(both.err().contains("--json and --csv cannot be combined"), both::toString);
    CliRun none = CliRun.of("classify");
    assertEquals(2, none.code(), none::toString);
    assertTrue(none.err().contains("Missing required parameter"), none::toString);
    CliRun badDevice = CliRun.of("classify", "--device", "tpu", "--model", model.toString(), labelled.toString());
    assertEquals(1, badDevice.code(), badDevice::toString);
    assertTrue(badDevice.err().startsWith("error: "), badDevice::toString);
  }

  // ---- train and curves ----

  @Test
  void trainWritesThePackageCurvesAndHistory() throws IOException {
    Path out = tmp.resolve("out/tiny.zip");
    CliRun run = CliRun.of("train", "--train", labelled.toString(), "--val", labelled.toString(),
        "--preset", "lenet", "--epochs", "2", "--batch-size", "16", "--augmentation", "none", "--warmup", "0",
        "--name", "tiny", "-o", out.toString());
    assertEquals(0, run.code(), run::toString);
    assertEquals("tiny", ModelPackage.load(out).metadata().name());
    BufferedImage curves = png(tmp.resolve("out/tiny-curves.png"));
    assertEquals(Charts.CURVES_WIDTH, curves.getWidth());
    assertEquals(Charts.CURVES_HEIGHT, curves.getHeight());
    Path history = tmp.resolve("out/tiny-history.json");
    assertEquals(2, JsonParser.parseString(Files.readString(history)).getAsJsonArray().size());

    Path redrawn = tmp.resolve("redrawn.png");
    CliRun again = CliRun.of("curves", history.toString(), "-o", redrawn.toString());
    assertEquals(0, again.code(), again::toString);
    assertTrue(again.out().startsWith("2 epochs -> "), again::toString);
    assertEquals(Charts.CURVES_WIDTH, png(redrawn).getWidth());
  }

  @Test
  void trainTakesTheWholeRecipeAndRecordsIt() {
    Path out = tmp.resolve("recipe.zip");
    CliRun run = CliRun.of("train", "--train", labelled.toString(), "--val", labelled.toString(),
        "--preset", "lenet", "--epochs", "1", "--batch-size", "16", "--augmentation", "robust", "--erasing", "0.25",
        "--label-smoothing", "0.1", "--mixup", "0.2", "--cutmix", "1", "--ema", "0.99",
        "--optimizer", "sgd-nesterov", "--lr", "0.01", "-o", out.toString());
    assertEquals(0, run.code(), run::toString);
    Map<String, Object> training = ModelPackage.load(out).metadata().provenance().training();
    assertEquals(List.of("sgd_nesterov", 0.1, 0.2, 1.0, 0.99), List.of(training.get("optimizer"),
        training.get("label-smoothing"), training.get("mixup-alpha"), training.get("cutmix-alpha"), training.get("ema-decay")));
    assertTrue(training.get("augmentation").toString().contains("gaussian blur"), training.toString());
    assertTrue(training.get("augmentation").toString().contains("random erasing p=0.25"), training.toString());
  }

  @Test
  void trainFromAModelFineTunesItsNetwork() {
    Path out = tmp.resolve("tuned.zip");
    CliRun run = CliRun.of("train", "--train", labelled.toString(), "--val", labelled.toString(),
        "--from", model.toString(), "--epochs", "1", "--batch-size", "16", "--augmentation", "none", "--warmup", "0",
        "-o", out.toString());
    assertEquals(0, run.code(), run::toString);
    ModelPackage tuned = ModelPackage.load(out);
    assertEquals("test-lenet-tuned", tuned.metadata().name());
    assertEquals(pkg.layers(), tuned.layers());
    assertEquals(pkg.labels(), tuned.labels());
    assertEquals("test-lenet 0.0.1-test", tuned.metadata().provenance().training().get("fine-tuned-from"));

    CliRun preset = CliRun.of("train", "--train", labelled.toString(), "--from", model.toString(),
        "--preset", "vgg-bn", "-o", tmp.resolve("m.zip").toString());
    assertEquals(2, preset.code(), preset::toString);
    assertTrue(preset.err().contains("--preset does not apply with --from"), preset::toString);
    Path nowhere = tmp.resolve("nowhere/model.zip");
    CliRun missing = CliRun.of("train", "--train", labelled.toString(), "--from", nowhere.toString(),
        "-o", tmp.resolve("m.zip").toString());
    assertEquals(1, missing.code(), missing::toString);
    assertEquals("error: No model package at " + nowhere + " (no such file or folder)", missing.err().strip());
    assertFalse(Files.exists(tmp.resolve("m.zip")), "nothing is written when the start model is missing");
  }

  @Test
  void everyCommandsHelpPrintsWithoutPicocliWarnings() {
    // picocli formats help texts (%n is a line break); a lone % makes it warn and print the raw text.
    for (String command : new CommandLine(new Emotion4jCli()).getSubcommands().keySet()) {
      CliRun help = CliRun.of(command, "--help");
      assertFalse(help.err().contains("WARN"), help::toString);
    }
    assertTrue(CliRun.of("train", "--help").out().contains("10% of --train"));
    assertEquals(io.github.emotion4j.model.NetworkPreset.ids(), TrainCommand.PRESETS);
  }

  @Test
  void trainUsageErrors() {
    CliRun missing = CliRun.of("train", "--train", tmp.resolve("nowhere").toString(), "-o", tmp.resolve("m.zip").toString());
    assertEquals(2, missing.code(), missing::toString);
    assertTrue(missing.err().contains("No training folder at"), missing::toString);
    CliRun optimizer = CliRun.of("train", "--train", labelled.toString(), "--optimizer", "rmsprop",
        "-o", tmp.resolve("m.zip").toString());
    assertEquals(2, optimizer.code(), optimizer::toString);
    assertTrue(optimizer.err().contains("Unknown --optimizer \"rmsprop\"; use one of [adamw, sgd, sgd-nesterov]"), optimizer::toString);
    CliRun smoothing = CliRun.of("train", "--train", labelled.toString(), "--label-smoothing", "1.5",
        "-o", tmp.resolve("m.zip").toString());
    assertEquals(2, smoothing.code(), smoothing::toString);
    assertTrue(smoothing.err().contains("label smoothing in [0, 1)"), smoothing::toString);
    CliRun augmentation = CliRun.of("train", "--train", labelled.toString(), "--augmentation", "heavy",
        "-o", tmp.resolve("m.zip").toString());
    assertEquals(2, augmentation.code(), augmentation::toString);
    assertTrue(augmentation.err().contains("Unknown --augmentation \"heavy\"; use one of [standard, robust, none]"),
        augmentation::toString);
    assertFalse(Files.exists(tmp.resolve("m.zip")));
    CliRun device = CliRun.of("train", "--train", labelled.toString(), "--device", "tpu",
        "-o", tmp.resolve("m.zip").toString());
    assertEquals(2, device.code(), device::toString);
    assertTrue(device.err().contains("Unknown --device \"tpu\"; use one of [cpu, gpu, auto]"), device::toString);
    CliRun noOutput = CliRun.of("train", "--train", labelled.toString());
    assertEquals(2, noOutput.code(), noOutput::toString);
  }

  @Test
  void curvesFromACheckpointHistory() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("run"));
    Files.writeString(dir.resolve("history.json"), """
        [{"epoch": 1, "train-loss": 1.8, "train-accuracy": 0.25, "val-loss": 1.7, "val-accuracy": 0.3, "val-macro-f1": 0.2},
         {"epoch": 2, "train-loss": 1.5, "train-accuracy": 0.40, "val-loss": 1.6, "val-accuracy": 0.38, "val-macro-f1": 0.3},
         {"epoch": 3, "train-loss": 1.3, "train-accuracy": 0.50, "val-loss": NaN, "val-accuracy": 0.41, "val-macro-f1": 0.33}]
        """);
    CliRun run = CliRun.of("curves", dir.toString(), "-o", tmp.resolve("c.png").toString(), "--title", "Figure 8");
    assertEquals(0, run.code(), run::toString);
    assertEquals(Charts.CURVES_HEIGHT, png(tmp.resolve("c.png")).getHeight());
  }

  @Test
  void curvesBadInput() throws IOException {
    CliRun missing = CliRun.of("curves", tmp.resolve("none.json").toString(), "-o", tmp.resolve("c.png").toString());
    assertEquals(2, missing.code(), missing::toString);
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"not\": \"a list\"}");
    CliRun notList = CliRun.of("curves", bad.toString(), "-o", tmp.resolve("c.png").toString());
    assertEquals(1, notList.code(), notList::toString);
    assertTrue(notList.err().startsWith("error: " + bad + " is not a training history"), notList::toString);
    Path lacking = Files.writeString(tmp.resolve("lacking.json"), "[{\"epoch\": 1, \"train-loss\": 1.0}]");
    CliRun noKey = CliRun.of("curves", lacking.toString(), "-o", tmp.resolve("c.png").toString());
    assertEquals(1, noKey.code(), noKey::toString);
    assertEquals("error: training history entry 1 has no number \"train-accuracy\"", noKey.err().strip());
    assertFalse(Files.exists(tmp.resolve("c.png")));
    CliRun noOut = CliRun.of("curves", lacking.toString());
    assertEquals(2, noOut.code(), noOut::toString);
  }

  // ---- models, backends, benchmark ----

  @Test
  void modelsListsPackagesWithProvenanceMetrics() {
    CliRun run = CliRun.of("models", shared.toString());
    assertEquals(0, run.code(), run::toString);
    String row = run.out().lines().filter(l -> l.startsWith("test-lenet")).findFirst().orElseThrow(() ->
        new AssertionError(run));
    assertTrue(row.contains("0.0.1-test"), row);
    assertTrue(row.contains(String.format(java.util.Locale.ROOT, "%,d", pkg.summary().parameters())), row);
    assertTrue(row.contains("50.00%"), row);
    assertTrue(row.contains("62.50%"), row);
    assertTrue(row.contains("KiB"), row);
    assertTrue(run.out().startsWith("NAME"), run::toString);

    CliRun missing = CliRun.of("models", tmp.resolve("nothing.zip").toString());
    assertEquals(2, missing.code(), missing::toString);
  }

  @Test
  void backendsPrintsTheTableOnlyAfterEveryEngineStarted() {
    io.github.emotion4j.spi.EmotionBackend noisy = org.mockito.Mockito.mock(io.github.emotion4j.spi.EmotionBackend.class);
    org.mockito.Mockito.when(noisy.rank()).thenReturn(30);
    org.mockito.Mockito.when(noisy.devices()).thenAnswer(inv -> {
      System.out.println("I tensorflow/core/platform/cpu_feature_guard.cc:210] engine noise");
      return java.util.Set.of(io.github.emotion4j.Device.CPU);
    });
    var ok = io.github.emotion4j.spi.BackendAvailability.yes();
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    String table;
    try {
      System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
      table = BackendsCommand.table(List.of(new io.github.emotion4j.internal.Backends.Candidate("first", noisy, ok),
          new io.github.emotion4j.internal.Backends.Candidate("second", noisy, ok)));
    } finally {
      System.setOut(old);
    }
    assertEquals(2, captured.toString(StandardCharsets.UTF_8).lines().count(), "both engines started first");
    assertFalse(table.contains("noise"), table);
    assertEquals(List.of("BACKEND", "first", "second"), table.lines().map(l -> l.split(" +")[0]).toList());
  }

  @Test
  void backendsListsPytorch() {
    CliRun run = CliRun.of("backends");
    assertEquals(0, run.code(), run::toString);
    assertTrue(run.out().lines().anyMatch(l -> l.startsWith("pytorch") && l.contains("available")), run::toString);
  }

  @Test
  void benchmarkPrintsAMarkdownRowPerCase() {
    CliRun run = CliRun.of("benchmark", "--backend", "pytorch", "--preset", "lenet", "--batch", "1,4",
        "--seconds", "0.2", "--warmup", "0.05", "--preprocess", labelled.resolve("angry").toString());
    assertEquals(0, run.code(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(BenchmarkCommand.HEADER, lines.get(0));
    assertEquals(BenchmarkCommand.RULE, lines.get(1));
    assertEquals(5, lines.size(), run::toString);
    assertTrue(lines.get(2).contains("decode+preprocess (" + PER_LABEL + " files)"), run::toString);
    Pattern row = Pattern.compile("\\| pytorch \\| cpu \\| lenet \\(random weights\\) \\| inference \\| (\\d+) \\| "
        + "([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|");
    for (int i = 0; i < 2; i++) {
      Matcher m = row.matcher(lines.get(3 + i));
      assertTrue(m.matches(), lines.get(3 + i));
      int batch = Integer.parseInt(m.group(1));
      double ms = Double.parseDouble(m.group(2));
      double perSecond = Double.parseDouble(m.group(3));
      assertEquals(i == 0 ? 1 : 4, batch);
      assertTrue(ms > 0 && perSecond > 0 && Double.parseDouble(m.group(4)) > 0, lines.get(3 + i));
      assertEquals(batch * 1000 / ms, perSecond, perSecond * 0.02);
    }
  }

  @Test
  void benchmarkWithAModelPackage() {
    CliRun run = CliRun.of("benchmark", "--backend", "pytorch", "--model", model.toString(), "--batch", "2",
        "--seconds", "0.1", "--warmup", "0");
    assertEquals(0, run.code(), run::toString);
    assertTrue(run.out().contains("| pytorch | cpu | test-lenet | inference | 2 |"), run::toString);
  }

  @Test
  void benchmarkUsageErrors() {
    for (String[] args : List.of(
        new String[] {"benchmark", "--batch", "abc"},
        new String[] {"benchmark", "--batch", "0"},
        new String[] {"benchmark", "--seconds", "-1"},
        new String[] {"benchmark", "--model", model.toString(), "--preset", "lenet"},
        new String[] {"benchmark", "--preset", "resnet"},
        new String[] {"benchmark", "--preprocess", tmp.resolve("none").toString()})) {
      CliRun run = CliRun.of(args);
      assertEquals(2, run.code(), run::toString);
      assertTrue(run.err().contains("Usage: emotion4j benchmark"), run::toString);
    }
  }

  // ---- the tool itself ----

  @Test
  void helpVersionAndUnknownCommands() {
    CliRun help = CliRun.of("--help");
    assertEquals(0, help.code());
    for (String command : List.of("classify", "evaluate", "train", "curves", "models", "backends", "benchmark")) {
      assertTrue(help.out().contains("  " + command + " "), () -> command + "\n" + help);
    }
    assertEquals(0, CliRun.of("help", "evaluate").code());
    assertTrue(CliRun.of("--version").out().startsWith("emotion4j "));
    CliRun unknown = CliRun.of("frobnicate");
    assertEquals(2, unknown.code(), unknown::toString);
    assertTrue(unknown.err().contains("Unmatched argument"), unknown::toString);
    CliRun unknownOption = CliRun.of("evaluate", labelled.toString(), "--fast");
    assertEquals(2, unknownOption.code(), unknownOption::toString);
    assertTrue(unknownOption.err().contains("Unknown option: '--fast'"), unknownOption::toString);
  }
}
