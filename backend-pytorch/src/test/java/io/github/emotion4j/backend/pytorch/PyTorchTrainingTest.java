package io.github.emotion4j.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.testing.TestData;
import io.github.emotion4j.train.Augmentation;
import io.github.emotion4j.train.LabelledImages;
import io.github.emotion4j.train.Training;
import io.github.emotion4j.train.TrainingConfig;
import io.github.emotion4j.train.TrainingListener;
import io.github.emotion4j.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short real training runs on FER2013 subsets. */
class PyTorchTrainingTest {
  static LabelledImages train;
  static LabelledImages val;

  @BeforeAll
  static void load() {
    LabelledImages all = LabelledImages.fromFolder(TestData.fer2013("train"), LabelSet.PAPER_FOUR,
        InputContract.FER2013).firstPerLabel(150);
    List<LabelledImages> split = all.split(0.2, 1);
    train = split.get(0);
    val = split.get(1);
  }

  private static TrainingConfig.Builder config() {
    return TrainingConfig.builder(NetworkPreset.LENET).labels(LabelSet.PAPER_FOUR).epochs(6)
        .batchSize(16).augmentation(Augmentation.NONE).earlyStopping(TrainingConfig.Metric.ACCURACY, 0)
        .optimizer(TrainingConfig.Optimizer.ADAMW, 2e-3).schedule(TrainingConfig.Schedule.CONSTANT, 0);
  }

  @Test
  void lossFallsAndHeldOutAccuracyBeatsChance() {
    TrainingResult r = Training.train(config().build(), train, val, TrainingListener.NONE);
    assertEquals(6, r.history().size());
    double first = r.history().get(0).trainLoss();
    double last = r.history().get(5).trainLoss();
    assertTrue(last < first * 0.95, "training loss should fall: " + first + " -> " + last);
    double best = r.history().get(r.bestEpoch() - 1).validation().accuracy();
    assertTrue(best > 0.25 + 0.05, "held-out accuracy should beat chance (0.25): " + best);
    ModelPackage model = r.model();
    assertEquals("trained", model.metadata().provenance().source());
    assertEquals(4, model.labels().size());
  }

  @Test
  void resumeContinuesTheSameRun(@TempDir Path dir) {
    TrainingConfig full = config().epochs(2).checkpointDir(dir.resolve("a")).build();
    TrainingResult straight = Training.train(full, train, val, TrainingListener.NONE);

    TrainingConfig firstHalf = config().epochs(1).checkpointDir(dir.resolve("b")).build();
    Training.train(firstHalf, train, val, TrainingListener.NONE);
    TrainingResult resumed = Training.resume(firstHalf.toBuilder().epochs(2).build(), train, val,
        TrainingListener.NONE);

    assertEquals(2, resumed.history().size());
    assertEquals(straight.history().get(1).trainLoss(), resumed.history().get(1).trainLoss(), 1e-3,
        "epoch 2 after a resume should match epoch 2 of an uninterrupted run");
  }

  @Test
  void smoothedTargetsAndTheWeightAverageStillLearn() {
    TrainingResult r = Training.train(config().epochs(8).labelSmoothing(0.1).ema(0.95).build(), train, val,
        TrainingListener.NONE);
    double best = r.history().get(r.bestEpoch() - 1).validation().accuracy();
    assertTrue(best > 0.25 + 0.05, "held-out accuracy should beat chance (0.25): " + best);
  }

  @Test
  void theFullRecipeIsRecordedAndResumesWithItsWeightAverage(@TempDir Path dir) {
    // label smoothing, mixup or CutMix per batch, erasing and zoom, Nesterov SGD, a weight average;
    // that each part does what it says is tested in the api (TargetMixerTest, AugmenterTest,
    // WeightAverageTest) and in StepOptimizerTest
    TrainingConfig.Builder recipe = config().augmentation(Augmentation.STANDARD.withScale(0.1).withErasing(0.25))
        .labelSmoothing(0.1).mixing(0.2, 1.0).ema(0.95)
        .optimizer(TrainingConfig.Optimizer.SGD_NESTEROV, 0.02).momentum(0.9);
    TrainingConfig twoEpochs = recipe.epochs(2).checkpointDir(dir.resolve("a")).build();
    TrainingResult straight = Training.train(twoEpochs, train, val, TrainingListener.NONE);
    Map<String, Object> training = straight.model().metadata().provenance().training();
    assertTrue(training.get("augmentation").toString().contains("random erasing p=0.25"), training.toString());
    assertEquals(List.of(0.1, 0.2, 1.0, 0.95, "sgd_nesterov"), List.of(training.get("label-smoothing"),
        training.get("mixup-alpha"), training.get("cutmix-alpha"), training.get("ema-decay"), training.get("optimizer")));

    TrainingConfig oneEpoch = recipe.epochs(1).checkpointDir(dir.resolve("b")).build();
    Training.train(oneEpoch, train, val, TrainingListener.NONE);
    assertTrue(Files.exists(dir.resolve("b/last/weight-average.safetensors")));
    TrainingResult resumed = Training.resume(oneEpoch.toBuilder().epochs(2).build(), train, val, TrainingListener.NONE);
    // the validated weights are the average, so equal validation losses show it was restored
    assertEquals(straight.history().get(1).validationLoss(), resumed.history().get(1).validationLoss(), 1e-3);
  }

  @Test
  void fineTuneStartsFromTheGivenWeights() {
    TrainingResult trained = Training.train(config().epochs(3).build(), train, val, TrainingListener.NONE);
    ModelPackage start = trained.model();
    double startAccuracy = trained.history().get(trained.bestEpoch() - 1).validation().accuracy();
    // A learning rate this small leaves the weights as they were, so the first epoch's validation
    // figures are the starting model's; from fresh weights the same run stays near chance.
    TrainingConfig still = TrainingConfig.builder(start.layers()).labels(start.labels()).epochs(1)
        .batchSize(16).augmentation(Augmentation.NONE).optimizer(TrainingConfig.Optimizer.ADAMW, 1e-10)
        .schedule(TrainingConfig.Schedule.CONSTANT, 0).build();

    TrainingResult tuned = Training.fineTune(still, start, train, val, TrainingListener.NONE);

    assertEquals(startAccuracy, tuned.history().get(0).validation().accuracy(), 1e-9);
    assertTrue(startAccuracy > 0.30, "the starting model should beat chance: " + startAccuracy);
    assertEquals(start.metadata().name() + " " + start.metadata().version(),
        tuned.model().metadata().provenance().training().get("fine-tuned-from"));
    double fresh = Training.train(still, train, val, TrainingListener.NONE).history().get(0).validation().accuracy();
    assertTrue(fresh < startAccuracy, "fresh weights " + fresh + " vs fine-tuned " + startAccuracy);
  }

  @Test
  void fineTuneRejectsAnotherNetworkNamingBoth() {
    ModelPackage sevenLabels = TestData.randomPreset(NetworkPreset.LENET, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Training.fineTune(config().build(), sevenLabels, train, val, TrainingListener.NONE));
    assertTrue(e.getMessage().startsWith("cannot fine-tune " + sevenLabels.metadata().name()), e.getMessage());
    assertTrue(e.getMessage().contains("labels [angry, disgust, fear, happy, neutral, sad, surprise]"), e.getMessage());
  }

  @Test
  void trainsOnTheGpuWhenAskedOrSaysThereIsNone() {
    TrainingConfig onGpu = config().epochs(1).device(Device.GPU).build();
    if (new PyTorchBackend().devices().contains(Device.GPU)) {
      TrainingResult r = Training.train(onGpu, train, val, TrainingListener.NONE);
      assertTrue(Double.isFinite(r.history().get(0).trainLoss()));
      assertEquals("gpu", r.model().metadata().provenance().training().get("device"));
    } else {
      DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
          () -> Training.train(onGpu, train, val, TrainingListener.NONE));
      assertTrue(e.getMessage().startsWith("Device GPU is not available to the pytorch backend"), e.getMessage());
      assertTrue(e.getMessage().contains("Devices present: [CPU]"), e.getMessage());
    }
  }
}
