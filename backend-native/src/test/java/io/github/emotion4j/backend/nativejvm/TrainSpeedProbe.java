package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A JUnit-free probe of native training speed (not a test): steps per second of a preset at a batch
 * size on random images, and the time per layer's forward and backward pass.
 *
 * <p>Arguments: {@code [preset=vgg-bn] [batch=64] [steps=30] [kernels=vector]}.
 */
public final class TrainSpeedProbe {
  private TrainSpeedProbe() {}

  /**
   * Runs the probe.
   *
   * @param args preset, batch, steps, kernels
   */
  public static void main(String[] args) {
    NetworkPreset preset = NetworkPreset.parse(args.length > 0 ? args[0] : "vgg-bn");
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    NativeBackend.KernelChoice choice = NativeBackend.KernelChoice.valueOf(
        (args.length > 3 ? args[3] : "vector").toUpperCase(Locale.ROOT));
    TrainingConfig config = TrainingConfig.builder(preset).labels(LabelSet.FER2013).batchSize(batch).build();
    NativeTrainingSession s = (NativeTrainingSession) new NativeTrainer(choice).start(config,
        new float[] {1, 1, 1, 1, 1, 1, 1}, null, null, 0);
    SplittableRandom r = new SplittableRandom(1);
    float[] data = new float[batch * config.input().imageSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextGaussian();
    }
    float[] targets = new float[batch * 7];
    for (int i = 0; i < batch; i++) {
      targets[i * 7 + r.nextInt(7)] = 1;
    }
    InputBatch in = new InputBatch(data, batch, config.input().shape());
    int[] predicted = new int[batch];
    for (int i = 0; i < 5; i++) {
      s.trainStep(in, targets, 1e-3, predicted);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      s.trainStep(in, targets, 1e-3, predicted);
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s batch %d: %.1f images/s (%.1f ms/step)%n", preset.id(), batch,
        steps * batch / sec, sec * 1000 / steps);
    s.profile(in, 5);
  }
}
