package io.github.emotion4j.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.model.Safetensors;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.ModelTrainer;
import io.github.emotion4j.spi.TrainingSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training facade: trains a network on labelled images with a trainer found through the SPI
 * (the PyTorch backend), validating, checkpointing and recording provenance along the way.
 *
 * <p>Each epoch: shuffle (or draw balanced batches) with a seed derived from the run's seed and the
 * epoch, augment, step; then validate, keep the best weights by the early-stopping metric, and write
 * a checkpoint ({@code <checkpointDir>/last}: weights, optimiser state, weight average and history)
 * so that {@link #resume} continues the same run. Label smoothing, mixup and CutMix are applied here
 * as soft targets; the weight average ({@link TrainingConfig#emaDecay()}) is kept here too, so every
 * trainer gets them alike.
 *
 * @since 0.1
 */
public final class Training {
  /** The checkpoint folder name under the configured checkpoint directory. */
  public static final String LAST_CHECKPOINT = "last";
  static final String STATE_FILE = "trainer-state.json";
  static final String OPTIMIZER_FILE = "optimizer.safetensors";
  /** Optimiser state is written in parts of at most this many bytes, so no checkpoint file is huge. */
  static final long OPTIMIZER_PART_BYTES = 16L << 20;
  static final String AVERAGE_FILE = "weight-average.safetensors";
  static final String WEIGHTS_DIR = "weights";
  static final String BEST_DIR = "best";

  private static final Logger log = LoggerFactory.getLogger(Training.class);
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private Training() {}

  /**
   * Trains a fresh network.
   *
   * @param config the run
   * @param train the training images
   * @param validation the validation images (e.g. from {@link LabelledImages#split})
   * @param listener progress callbacks
   * @return the trained model and history
   */
  public static TrainingResult train(TrainingConfig config, LabelledImages train,
      LabelledImages validation, TrainingListener listener) {
    return run(config, train, validation, listener, null, null);
  }

  /**
   * Fine-tunes existing weights: the run starts from {@code start}'s weights instead of fresh ones.
   *
   * The trained package's provenance names {@code start} under {@code fine-tuned-from}; a fine-tuning
   * run with a checkpoint directory resumes like any other with {@link #resume}.
   *
   * @param config the run; its layers and labels must be {@code start}'s, e.g. from
   *     {@code TrainingConfig.builder(start.layers()).labels(start.labels())}
   * @param start the model to start from
   * @param train the training images
   * @param validation the validation images
   * @param listener progress callbacks
   * @return the trained model and history
   * @throws IllegalArgumentException if the configuration's network or labels are not {@code start}'s
   */
  public static TrainingResult fineTune(TrainingConfig config, ModelPackage start,
      LabelledImages train, LabelledImages validation, TrainingListener listener) {
    String startName = start.metadata().name() + " " + start.metadata().version();
    if (!start.layers().equals(config.layers()) || !start.labels().equals(config.labels())) {
      throw new IllegalArgumentException("cannot fine-tune " + startName + ": the configuration's network ("
          + config.architecture() + ", " + config.layers().size() + " layers, labels " + config.labels().labels()
          + ") is not the model's (" + start.layers().size() + " layers, labels " + start.labels().labels()
          + "); start the configuration from TrainingConfig.builder(model.layers()).labels(model.labels())");
    }
    State s = new State();
    s.fineTunedFrom = startName;
    return run(config, train, validation, listener, start.tensors(), s);
  }

  /**
   * Continues a run from its last checkpoint, with the configuration it was started with.
   *
   * @param config the run's configuration (the same as when it started; epochs may be raised)
   * @param train the training images
   * @param validation the validation images
   * @param listener progress callbacks
   * @return the trained model and history
   * @throws ModelPackageException if there is no readable checkpoint
   */
  public static TrainingResult resume(TrainingConfig config, LabelledImages train,
      LabelledImages validation, TrainingListener listener) {
    if (config.checkpointDir() == null) {
      throw new IllegalArgumentException("resume needs the configuration's checkpointDir");
    }
    Path last = config.checkpointDir().resolve(LAST_CHECKPOINT);
    try {
      State state = GSON.fromJson(Files.readString(last.resolve(STATE_FILE)), State.class);
      state.optimizer = readOptimizerState(last);
      if (Files.exists(last.resolve(AVERAGE_FILE))) {
        state.average = Safetensors.read(Files.readAllBytes(last.resolve(AVERAGE_FILE)), AVERAGE_FILE);
      }
      state.resumedFrom = last + " after epoch " + state.history.size();
      ModelPackage weights = ModelPackage.load(last.resolve(WEIGHTS_DIR));
      log.info("Resuming {} after epoch {}", config.modelName(), state.history.size());
      return run(config, train, validation, listener, weights.tensors(), state);
    } catch (IOException e) {
      throw new ModelPackageException("No readable training checkpoint in " + last + ": " + e, e);
    }
  }

  /** What a checkpoint holds besides the weights. */
  static final class State {
    List<EpochResult> history = new ArrayList<>();
    int steps;
    int bestEpoch;
    double bestMetric = Double.NEGATIVE_INFINITY;
    int epochsWithoutImprovement;
    String resumedFrom;
    String fineTunedFrom;
    transient Map<String, Tensor> optimizer;
    transient Map<String, Tensor> average;
  }

  private static TrainingResult run(TrainingConfig config, LabelledImages train,
      LabelledImages validation, TrainingListener listener, Map<String, Tensor> startWeights,
      State resumed) {
    if (!train.labels().equals(config.labels()) || !validation.labels().equals(config.labels())) {
      throw new IllegalArgumentException("the images' labels must be the configuration's " + config.labels());
    }
    ModelTrainer trainer = findTrainer(config);
    State state = resumed != null ? resumed : new State();
    float[] classWeights = classWeights(config, train);
    int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
    int imageSize = config.input().imageSize();
    Augmenter augmenter = new Augmenter(config.augmentation(), config.input());
    TargetMixer mixer = new TargetMixer(config);
    int labelCount = config.labels().size();
    boolean stoppedEarly = false;
    Map<String, Tensor> best = null;
    try (TrainingSession session = trainer.start(config, classWeights, startWeights,
        state.optimizer, state.steps)) {
      if (state.bestEpoch > 0 && config.checkpointDir() != null) {
        Path bestDir = config.checkpointDir().resolve(BEST_DIR);
        best = Files.isDirectory(bestDir) ? ModelPackage.load(bestDir).tensors() : null;
      }
      WeightAverage average = config.emaDecay() == 0 ? null
          : new WeightAverage(config.emaDecay(), state.average != null ? state.average : session.weights());
      float[] batchData = new float[config.batchSize() * imageSize];
      float[] targets = new float[config.batchSize() * labelCount];
      int[] batchLabels = new int[config.batchSize()];
      int[] predicted = new int[config.batchSize()];
      long runStart = System.nanoTime();
      int epochsThisRun = 0;
      for (int epoch = state.history.size() + 1; epoch <= config.epochs(); epoch++) {
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + epoch);
        int[] order = order(config, train, random);
        double lossSum = 0;
        int correct = 0;
        for (int b = 0; b < batches; b++) {
          int from = b * config.batchSize();
          int n = Math.min(config.batchSize(), order.length - from);
          for (int i = 0; i < n; i++) {
            int idx = order[from + i];
            float[] image = train.image(idx);
            augmenter.apply(image, 0, batchData, i * imageSize, random);
            batchLabels[i] = train.label(idx);
          }
          mixer.apply(batchData, batchLabels, n, targets, random);
          float[] data = n == config.batchSize() ? batchData : java.util.Arrays.copyOf(batchData, n * imageSize);
          double lr = config.learningRateAt(state.steps, batches);
          double loss = session.trainStep(new InputBatch(data, n, config.input().shape()),
              n == config.batchSize() ? targets : java.util.Arrays.copyOf(targets, n * labelCount), lr, predicted);
          if (!Double.isFinite(loss)) {
            throw new IllegalStateException("training diverged: loss " + loss + " at epoch " + epoch
                + ", batch " + (b + 1) + "; lower the learning rate (" + lr + ")");
          }
          state.steps++;
          if (average != null) {
            average.update(session.weights(), state.steps);
          }
          lossSum += loss * n;
          for (int i = 0; i < n; i++) {
            correct += predicted[i] == batchLabels[i] ? 1 : 0;
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          double perSecond = (from + n) / seconds;
          double doneFraction = (epochsThisRun + (b + 1.0) / batches);
          double elapsed = (System.nanoTime() - runStart) / 1e9;
          double eta = elapsed / doneFraction * (config.epochs() - epoch + 1 + epochsThisRun) - elapsed;
          listener.onBatch(epoch, b + 1, batches, loss, perSecond, eta);
        }
        double[] valLoss = new double[1];
        Map<String, Tensor> validated = null;
        Evaluation val;
        if (average != null) {
          Map<String, Tensor> trained = session.weights();
          validated = average.tensors();
          session.setWeights(validated);
          val = evaluate(session, validation, config, classWeights, valLoss);
          session.setWeights(trained);
        } else {
          val = evaluate(session, validation, config, classWeights, valLoss);
        }
        EpochResult result = new EpochResult(epoch, lossSum / train.size(), correct / (double) train.size(),
            valLoss[0], val, config.learningRateAt(Math.max(0, state.steps - 1), batches),
            (System.nanoTime() - start) / 1e9);
        state.history.add(result);
        epochsThisRun++;
        double metric = result.metric(config.earlyStopMetric());
        if (metric > state.bestMetric) {
          state.bestMetric = metric;
          state.bestEpoch = epoch;
          state.epochsWithoutImprovement = 0;
          best = validated != null ? validated : session.weights();
        } else {
          state.epochsWithoutImprovement++;
        }
        log.info("Epoch {}/{}: train loss {}, val loss {}, val accuracy {}, val macro-F1 {} ({} s)",
            epoch, config.epochs(), fmt(result.trainLoss()), fmt(result.validationLoss()),
            fmt(val.accuracy()), fmt(val.macroF1()), fmt(result.seconds()));
        if (config.checkpointDir() != null) {
          state.average = average != null ? average.tensors() : null;
          checkpoint(config, train, validation, session, state, best, trainer.name());
        }
        listener.onEpoch(result);
        if (config.patience() > 0 && state.epochsWithoutImprovement >= config.patience()) {
          log.info("Early stop after epoch {}: no {} improvement for {} epochs", epoch,
              config.earlyStopMetric(), config.patience());
          stoppedEarly = true;
          break;
        }
      }
      if (best == null) {
        best = average != null ? average.tensors() : session.weights();
      }
      ModelPackage model = ModelPackage.create(config.modelName(), "1.0.0", config.labels(),
          config.input(), config.layers(), best,
          provenance(config, train, validation, session, state, trainer.name()));
      return new TrainingResult(model, state.history, state.bestEpoch, stoppedEarly);
    }
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.4f", v);
  }

  /**
   * The configuration's trainer, or the available one of lowest rank.
   *
   * @throws BackendUnavailableException naming what was found, if none fits
   */
  static ModelTrainer findTrainer(TrainingConfig config) {
    List<String> available = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    ModelTrainer chosen = null;
    for (ModelTrainer t : ServiceLoader.load(ModelTrainer.class, Training.class.getClassLoader())) {
      String why = t.spiVersion() != EmotionBackend.SPI_VERSION
          ? "SPI version " + t.spiVersion() + ", the api needs " + EmotionBackend.SPI_VERSION
          : t.availability().available() ? null : t.availability().reason();
      if (why != null) {
        reasons.add(t.name() + " (" + why + ")");
        continue;
      }
      available.add(t.name());
      if (config.backend() != null ? t.name().equalsIgnoreCase(config.backend())
          : chosen == null || t.rank() < chosen.rank()) {
        chosen = t;
      }
    }
    if (chosen != null) {
      log.debug("Training with the {} trainer (available: {})", chosen.name(), available);
      return chosen;
    }
    String found = (available.isEmpty() ? "" : " Available: " + String.join(", ", available) + ".")
        + (reasons.isEmpty() ? "" : " Could not load: " + String.join(", ", reasons) + ".");
    if (config.backend() != null) {
      throw new BackendUnavailableException("No emotion4j trainer named \"" + config.backend() + "\"."
          + found + " Add io.github.emotion4j:emotion4j-backend-" + config.backend()
          + ". See docs/errors.md#no-backend");
    }
    throw new BackendUnavailableException("No emotion4j backend that trains is available." + found
        + " Add io.github.emotion4j:emotion4j-backend-native or emotion4j-backend-pytorch."
        + " See docs/errors.md#no-backend");
  }

  /** Loss weights: inverse square root of class frequency, normalised to mean 1 over images. */
  static float[] classWeights(TrainingConfig config, LabelledImages train) {
    int[] counts = train.counts();
    float[] w = new float[counts.length];
    if (config.balancing() != TrainingConfig.Balancing.CLASS_WEIGHTS) {
      java.util.Arrays.fill(w, 1f);
      return w;
    }
    double norm = 0;
    for (int c = 0; c < counts.length; c++) {
      w[c] = counts[c] == 0 ? 0 : (float) (1 / Math.sqrt(counts[c]));
      norm += w[c] * counts[c];
    }
    for (int c = 0; c < counts.length; c++) {
      w[c] = (float) (w[c] * train.size() / norm);
    }
    return w;
  }

  private static int[] order(TrainingConfig config, LabelledImages train, SplittableRandom random) {
    int n = train.size();
    int[] order = new int[n];
    if (config.balancing() == TrainingConfig.Balancing.BALANCED_SAMPLING) {
      List<List<Integer>> byLabel = new ArrayList<>();
      for (int c = 0; c < train.labels().size(); c++) {
        byLabel.add(new ArrayList<>());
      }
      for (int i = 0; i < n; i++) {
        byLabel.get(train.label(i)).add(i);
      }
      byLabel.removeIf(List::isEmpty);
      for (int i = 0; i < n; i++) {
        List<Integer> pool = byLabel.get(random.nextInt(byLabel.size()));
        order[i] = pool.get(random.nextInt(pool.size()));
      }
      return order;
    }
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static Evaluation evaluate(TrainingSession session, LabelledImages set, TrainingConfig config,
      float[] classWeights, double[] meanLoss) {
    int size = config.input().imageSize();
    int labels = config.labels().size();
    int batch = 256;
    int[] truth = new int[set.size()];
    int[] predicted = new int[set.size()];
    double loss = 0;
    double weightSum = 0;
    for (int from = 0; from < set.size(); from += batch) {
      int n = Math.min(batch, set.size() - from);
      float[] data = new float[n * size];
      for (int i = 0; i < n; i++) {
        set.copyImage(from + i, data, i * size);
      }
      float[] logits = session.logits(new InputBatch(data, n, config.input().shape()));
      for (int i = 0; i < n; i++) {
        int t = set.label(from + i);
        truth[from + i] = t;
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < labels; j++) {
          if (logits[i * labels + j] > max) {
            max = logits[i * labels + j];
            best = j;
          }
        }
        double sum = 0;
        for (int j = 0; j < labels; j++) {
          sum += Math.exp(logits[i * labels + j] - max);
        }
        double nll = -(logits[i * labels + t] - max - Math.log(sum));
        loss += classWeights[t] * nll;
        weightSum += classWeights[t];
        predicted[from + i] = best;
      }
    }
    meanLoss[0] = loss / weightSum;
    return Evaluation.of(config.labels(), truth, predicted);
  }

  private static void checkpoint(TrainingConfig config, LabelledImages train,
      LabelledImages validation, TrainingSession session, State state, Map<String, Tensor> best,
      String backend) {
    Path dir = config.checkpointDir();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempDirectory(dir, ".checkpoint-");
      ModelPackage.create(config.modelName(), "checkpoint", config.labels(), config.input(),
          config.layers(), session.weights(),
          ModelProvenance.now(ModelProvenance.SOURCE_TRAINED, "checkpoint", session.engine(),
              session.engineVersion())).save(tmp.resolve(WEIGHTS_DIR));
      writeOptimizerState(tmp, session.optimizerState());
      if (state.average != null) {
        Files.write(tmp.resolve(AVERAGE_FILE), Safetensors.write(state.average, Map.of()));
      }
      Files.writeString(tmp.resolve(STATE_FILE), GSON.toJson(state), StandardCharsets.UTF_8);
      Path last = dir.resolve(LAST_CHECKPOINT);
      Path old = dir.resolve(".old-" + System.nanoTime());
      if (Files.exists(last)) {
        AtomicFiles.move(last, old);
      }
      AtomicFiles.move(tmp, last);
      AtomicFiles.deleteTree(old);
      if (state.bestEpoch == state.history.size() && best != null) {
        // the best weights so far, with full provenance: usable as a model while the run goes on
        ModelPackage.create(config.modelName(), "0.0." + state.bestEpoch, config.labels(),
            config.input(), config.layers(), best,
            provenance(config, train, validation, session, state, backend)).save(dir.resolve(BEST_DIR));
      }
      Files.writeString(dir.resolve("history.json"), GSON.toJson(historyMaps(state.history)));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the checkpoint in " + dir, e);
    }
  }

  /** Writes optimizer-1.safetensors, optimizer-2.safetensors, ... each under OPTIMIZER_PART_BYTES. */
  private static void writeOptimizerState(Path dir, Map<String, Tensor> state) throws IOException {
    List<Map<String, Tensor>> parts = new ArrayList<>();
    long bytes = OPTIMIZER_PART_BYTES;
    for (Map.Entry<String, Tensor> e : state.entrySet()) {
      long size = 4L * e.getValue().size();
      if (bytes + size > OPTIMIZER_PART_BYTES) {
        parts.add(new LinkedHashMap<>());
        bytes = 0;
      }
      parts.get(parts.size() - 1).put(e.getKey(), e.getValue());
      bytes += size;
    }
    for (int i = 0; i < parts.size(); i++) {
      Files.write(dir.resolve(optimizerPart(i + 1)), Safetensors.write(parts.get(i), Map.of()));
    }
  }

  /** Reads every optimiser part of a checkpoint (or the single file older checkpoints have). */
  private static Map<String, Tensor> readOptimizerState(Path dir) throws IOException {
    Map<String, Tensor> state = new LinkedHashMap<>();
    if (Files.exists(dir.resolve(OPTIMIZER_FILE))) {
      state.putAll(Safetensors.read(Files.readAllBytes(dir.resolve(OPTIMIZER_FILE)), OPTIMIZER_FILE));
    }
    for (int i = 1; Files.exists(dir.resolve(optimizerPart(i))); i++) {
      state.putAll(Safetensors.read(Files.readAllBytes(dir.resolve(optimizerPart(i))), optimizerPart(i)));
    }
    return state;
  }

  private static String optimizerPart(int i) {
    return "optimizer-" + i + ".safetensors";
  }

  /** The history as JSON-ready maps, one per epoch. */
  public static List<Map<String, Object>> historyMaps(List<EpochResult> history) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (EpochResult r : history) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", r.epoch());
      m.put("train-loss", r.trainLoss());
      m.put("train-accuracy", r.trainAccuracy());
      m.put("val-loss", r.validationLoss());
      m.put("val-accuracy", r.validation().accuracy());
      m.put("val-macro-f1", r.validation().macroF1());
      m.put("learning-rate", r.learningRate());
      m.put("seconds", r.seconds());
      out.add(m);
    }
    return out;
  }

  private static ModelProvenance provenance(TrainingConfig config, LabelledImages train,
      LabelledImages validation, TrainingSession session, State state, String backend) {
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("train", train.describe());
    dataset.put("validation", validation.describe());
    dataset.put("augmentations", config.augmentation().describe());
    Map<String, Object> training = new LinkedHashMap<>(config.toMap());
    training.put("epochs-run", state.history.size());
    training.put("best-epoch", state.bestEpoch);
    training.put("steps", state.steps);
    training.put("resumed-from", state.resumedFrom == null ? "none" : state.resumedFrom);
    training.put("fine-tuned-from", state.fineTunedFrom == null ? "none" : state.fineTunedFrom);
    training.put("history", historyMaps(state.history));
    Map<String, Object> metrics = new LinkedHashMap<>();
    EpochResult best = state.history.stream().filter(r -> r.epoch() == state.bestEpoch).findFirst()
        .orElse(state.history.get(state.history.size() - 1));
    metrics.put("split", "validation");
    metrics.put("accuracy", best.validation().accuracy());
    metrics.put("macro-f1", best.validation().macroF1());
    return ModelProvenance.now(ModelProvenance.SOURCE_TRAINED, backend, session.engine(),
            session.engineVersion())
        .withDataset(dataset).withTraining(training).withMetrics(metrics);
  }

}
