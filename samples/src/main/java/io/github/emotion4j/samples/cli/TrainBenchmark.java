package io.github.emotion4j.samples.cli;

import io.github.emotion4j.Device;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.ModelTrainer;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * {@code benchmark --train}: training steps of a preset (AdamW, random images and labels) on each
 * named trainer, the trainers interleaved round by round in one process so that they share the
 * machine's state; one table row per trainer, batch size and round.
 */
final class TrainBenchmark {
  private TrainBenchmark() {}

  /**
   * Runs the rounds and prints the rows.
   *
   * @param preset the network
   * @param trainerNames trainers by backend name, in the order they run each round
   * @param batches batch sizes
   * @param rounds rounds
   * @param warmup untimed seconds per trainer and batch size, before the first round
   * @param seconds timed seconds per trainer, batch size and round
   */
  static void run(NetworkPreset preset, List<String> trainerNames, List<Integer> batches, int rounds,
      double warmup, double seconds) {
    Map<String, ModelTrainer> trainers = new LinkedHashMap<>();
    List<String> found = new ArrayList<>();
    for (ModelTrainer t : ServiceLoader.load(ModelTrainer.class, TrainBenchmark.class.getClassLoader())) {
      found.add(t.name());
      if (trainerNames.contains(t.name()) && t.spiVersion() == EmotionBackend.SPI_VERSION
          && t.availability().available()) {
        trainers.put(t.name(), t);
      }
    }
    for (String name : trainerNames) {
      if (!trainers.containsKey(name)) {
        throw new IllegalArgumentException("No trainer named \"" + name + "\" can run here; trainers: " + found);
      }
    }
    LabelSet labels = LabelSet.FER2013;
    long flops = preset.summary(io.github.emotion4j.model.InputContract.FER2013, labels.size()).flops();
    String model = preset.id() + " (random weights)";
    for (int batch : batches) {
      TrainingConfig config = TrainingConfig.builder(preset).labels(labels).batchSize(batch)
          .device(Device.CPU).build();
      InputBatch input = images(config, batch);
      float[] targets = targets(batch, labels.size());
      float[] classWeights = new float[labels.size()];
      Arrays.fill(classWeights, 1f);
      Map<String, TrainingSession> sessions = new LinkedHashMap<>();
      try {
        for (String name : trainerNames) {
          long before = usedHeap();
          TrainingSession s = trainers.get(name).start(config, classWeights, null, null, 0);
          sessions.put(name, s);
          time(s, input, targets, warmup, 2);
          System.out.printf(Locale.ROOT, "<!-- %s: %s %s; Java heap held after warm-up: %.0f MB -->%n", name,
              s.engine(), s.engineVersion(), (usedHeap() - before) / 1e6);
        }
        for (int round = 1; round <= rounds; round++) {
          for (Map.Entry<String, TrainingSession> e : sessions.entrySet()) {
            double median = time(e.getValue(), input, targets, seconds, 3);
            double perSecond = batch / median;
            System.out.printf(Locale.ROOT, "| %s | cpu | %s | training step, round %d | %d | %.1f | %.1f | %.2f |%n",
                e.getKey(), model, round, batch, median * 1000, perSecond, 3 * flops * perSecond / 1e9);
          }
        }
      } finally {
        sessions.values().forEach(TrainingSession::close);
      }
    }
  }

  private static InputBatch images(TrainingConfig config, int batch) {
    SplittableRandom random = new SplittableRandom(7);
    float[] data = new float[batch * config.input().imageSize()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble(-1, 1);
    }
    return new InputBatch(data, batch, config.input().shape());
  }

  private static float[] targets(int batch, int labels) {
    SplittableRandom random = new SplittableRandom(8);
    float[] t = new float[batch * labels];
    for (int i = 0; i < batch; i++) {
      t[i * labels + random.nextInt(labels)] = 1f;
    }
    return t;
  }

  /** Runs steps for about {@code seconds} (at least {@code min}) and returns the median seconds per step. */
  private static double time(TrainingSession s, InputBatch input, float[] targets, double seconds, int min) {
    int[] predicted = new int[input.size()];
    List<Long> times = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (times.size() < min || System.nanoTime() < end) {
      long t0 = System.nanoTime();
      s.trainStep(input, targets, 1e-4, predicted);
      times.add(System.nanoTime() - t0);
    }
    long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
    int n = sorted.length;
    return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e9;
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return r.totalMemory() - r.freeMemory();
  }
}
