package io.github.emotion4j.samples.train;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.backend.nativejvm.NativeTrainer;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.LabelledImages;
import io.github.emotion4j.train.Training;
import io.github.emotion4j.train.TrainingConfig;
import io.github.emotion4j.train.TrainingListener;
import io.github.emotion4j.train.TrainingResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: the agreement run. Trains vgg-bn for two epochs on the first N images per
 * label of a FER2013 folder, from the same untrained weights and seed, on each named trainer, and
 * prints every epoch's losses, accuracies and seconds (docs/PERFORMANCE.md, Training).
 *
 * <p>Arguments: {@code <fer2013 folder> <training images per label> <validation images per label>
 * <trainers, e.g. native,pytorch>}.
 */
public final class TrainerAgreement {
  private TrainerAgreement() {}

  /**
   * Runs the comparison.
   *
   * @param args folder, training and validation images per label, trainers
   */
  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    LabelledImages all = LabelledImages.fromFolder(root.resolve("train"), LabelSet.FER2013, InputContract.FER2013)
        .firstPerLabel(Integer.parseInt(args[1]));
    LabelledImages val = LabelledImages.fromFolder(root.resolve("val"), LabelSet.FER2013, InputContract.FER2013)
        .firstPerLabel(Integer.parseInt(args[2]));
    TrainingConfig.Builder b = TrainingConfig.builder(NetworkPreset.VGG_BN).epochs(2).batchSize(64)
        .optimizer(TrainingConfig.Optimizer.ADAMW, 1e-3).schedule(TrainingConfig.Schedule.CONSTANT, 0)
        .earlyStopping(TrainingConfig.Metric.ACCURACY, 0).seed(20261202L);
    float[] ones = new float[7];
    Arrays.fill(ones, 1f);
    ModelPackage start;
    try (TrainingSession s = new NativeTrainer().start(b.build(), ones, null, null, 0)) {
      start = ModelPackage.create("agreement-start", "0", LabelSet.FER2013, InputContract.FER2013,
          b.build().layers(), s.weights(), ModelProvenance.now(ModelProvenance.SOURCE_UNTRAINED, "native", "none", "none"));
    }
    System.out.println("train " + all + ", val " + val);
    for (String backend : args[3].split(",")) {
      long t0 = System.nanoTime();
      TrainingResult r = Training.fineTune(b.backend(backend).build(), start, all, val, TrainingListener.NONE);
      double sec = (System.nanoTime() - t0) / 1e9;
      r.history().forEach(h -> System.out.printf("%s epoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f macro-F1 %.4f | %.1f s%n",
          backend, h.epoch(), h.trainLoss(), h.trainAccuracy(), h.validationLoss(), h.validation().accuracy(),
          h.validation().macroF1(), h.seconds()));
      System.out.printf("%s total %.1f s%n", backend, sec);
    }
  }
}
