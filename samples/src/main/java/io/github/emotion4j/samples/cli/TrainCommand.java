package io.github.emotion4j.samples.cli;

import com.google.gson.GsonBuilder;
import io.github.emotion4j.Device;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.train.Augmentation;
import io.github.emotion4j.train.EpochResult;
import io.github.emotion4j.train.LabelledImages;
import io.github.emotion4j.train.Training;
import io.github.emotion4j.train.TrainingConfig;
import io.github.emotion4j.train.TrainingListener;
import io.github.emotion4j.train.TrainingResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Trains a network on labelled image folders with the training facade. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a network on <data>/<label>/*.jpg folders and write a model package.",
        "Beside the package it writes <name>-curves.png (loss and accuracy per epoch) and <name>-history.json."})
final class TrainCommand implements Callable<Integer> {
  /** The {@code --train} option. */
  @Option(names = "--train", required = true, description = "Folder of training images, one subfolder per label.")
  Path trainDir;

  /** The {@code --val} option. */
  @Option(names = "--val", description = "Validation folder; without it, 10%% of --train is held out.")
  Path valDir;

  /** The {@code --from} option. */
  @Option(names = "--from", paramLabel = "M", description = {
      "Fine-tune: start from this model's weights (a model name or a package path, folder or .zip).",
      "Its network and labels are kept, so --preset and --labels do not apply."})
  String from;

  /** The presets, for help texts (annotations need a constant; a test keeps it equal to NetworkPreset.ids()). */
  static final String PRESETS = "lenet, alexnet, vgg-bn, vgg-bn-wide";

  /** The {@code --preset} option. */
  @Option(names = "--preset", defaultValue = "vgg-bn", description = "One of the presets: " + PRESETS + " (default ${DEFAULT-VALUE}).")
  String preset;

  /** The {@code --labels} option. */
  @Option(names = "--labels", defaultValue = "7", description = "7 (FER2013) or 4 (the paper's four).")
  String labels;

  /** The {@code --epochs} option. */
  @Option(names = "--epochs", defaultValue = "30")
  int epochs;

  /** The {@code --batch-size} option. */
  @Option(names = "--batch-size", defaultValue = "64")
  int batchSize;

  /** The {@code --optimizer} option. */
  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw, sgd or sgd-nesterov.")
  String optimizer;

  /** The {@code --lr} option. */
  @Option(names = "--lr", defaultValue = "0.0003", description = "Peak learning rate.")
  double learningRate;

  /** The {@code --weight-decay} option. */
  @Option(names = "--weight-decay", defaultValue = "0.0001")
  double weightDecay;

  /** The {@code --schedule} option. */
  @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, step or constant.")
  String schedule;

  /** The {@code --warmup} option. */
  @Option(names = "--warmup", defaultValue = "1", description = "Warm-up epochs.")
  int warmup;

  /** The {@code --augmentation} option. */
  @Option(names = "--augmentation", defaultValue = "standard", paramLabel = "A", description = {
      "standard (rotation, crop, flip, brightness, contrast), robust (standard plus zoom, blur, noise",
      "and stronger contrast, for faces from other collections) or none (default ${DEFAULT-VALUE})."})
  String augmentation;

  /** The {@code --erasing} option. */
  @Option(names = "--erasing", defaultValue = "0", paramLabel = "P",
      description = "Also blank a random box in each image with probability P (e.g. 0.25).")
  double erasing;

  /** The {@code --label-smoothing} option. */
  @Option(names = "--label-smoothing", defaultValue = "0", paramLabel = "E",
      description = "Spread this share of each target over all labels (e.g. 0.1).")
  double labelSmoothing;

  /** The {@code --mixup} option. */
  @Option(names = "--mixup", defaultValue = "0", paramLabel = "ALPHA", description = "Mixup with Beta(ALPHA, ALPHA) (e.g. 0.2).")
  double mixup;

  /** The {@code --cutmix} option. */
  @Option(names = "--cutmix", defaultValue = "0", paramLabel = "ALPHA",
      description = "CutMix with Beta(ALPHA, ALPHA) (e.g. 1); with --mixup, each batch uses one of the two.")
  double cutmix;

  /** The {@code --ema} option. */
  @Option(names = "--ema", defaultValue = "0", paramLabel = "DECAY",
      description = "Validate and keep a moving average of the weights (e.g. 0.999).")
  double ema;

  /** The {@code --balancing} option. */
  @Option(names = "--balancing", defaultValue = "class_weights", description = "none, class_weights or balanced_sampling.")
  String balancing;

  /** The {@code --patience} option. */
  @Option(names = "--patience", defaultValue = "8", description = "Early-stop patience in epochs (0: never).")
  int patience;

  /** The {@code --seed} option. */
  @Option(names = "--seed", defaultValue = "20261125")
  long seed;

  /** The {@code --device} option. */
  @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
      description = "cpu, gpu or auto: a GPU if PyTorch sees one (default ${DEFAULT-VALUE}).")
  String device;

  /** The {@code --backend} option. */
  @Option(names = "--backend", paramLabel = "B", defaultValue = "auto",
      description = "The trainer: native (pure JVM, no native library), pytorch, or auto: the available one"
          + " of lowest rank, PyTorch before native (default ${DEFAULT-VALUE}).")
  String backend;

  /** The {@code --checkpoint-dir} option. */
  @Option(names = "--checkpoint-dir", description = "Checkpoint after every epoch here.")
  Path checkpointDir;

  /** The {@code --resume} option. */
  @Option(names = "--resume", description = "Resume from --checkpoint-dir's last checkpoint.")
  boolean resume;

  /** The {@code --name} option. */
  @Option(names = "--name", description = "The model's name (default <labels>-<preset>).")
  String name;

  /** The {@code --output} option. */
  @Option(names = {"-o", "--output"}, required = true, description = "Where to write the model package (.zip or folder).")
  Path output;

  /** This command, as picocli parsed it. */
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    ModelPackage start = from == null ? null : ClassifierOptions.loadPackage(from);
    LabelSet labelSet = start != null ? start.labels() : LabelSet.parse(labels);
    InputContract input = start != null ? start.input() : InputContract.FER2013;
    LabelledImages train = LabelledImages.fromFolder(trainDir, labelSet, input);
    LabelledImages val;
    if (valDir != null) {
      val = LabelledImages.fromFolder(valDir, labelSet, input);
    } else {
      List<LabelledImages> split = train.split(0.1, seed);
      train = split.get(0);
      val = split.get(1);
    }
    System.out.printf("train: %s%nval:   %s%n", train, val);
    TrainingConfig.Builder b = (start != null
        ? TrainingConfig.builder(start.layers())
        : TrainingConfig.builder(NetworkPreset.parse(preset)))
        .labels(labelSet).input(input).epochs(epochs).batchSize(batchSize)
        .optimizer(enumValue(TrainingConfig.Optimizer.class, optimizer), learningRate)
        .weightDecay(weightDecay)
        .schedule(enumValue(TrainingConfig.Schedule.class, schedule), warmup)
        .augmentation(augmentationPreset().withErasing(erasing))
        .labelSmoothing(labelSmoothing).mixing(mixup, cutmix).ema(ema)
        .balancing(enumValue(TrainingConfig.Balancing.class, balancing))
        .earlyStopping(TrainingConfig.Metric.MACRO_F1, patience).seed(seed).checkpointDir(checkpointDir)
        .device(Device.parse(device)).backend(backend);
    if (name != null) {
      b.modelName(name);
    } else if (start != null) {
      b.modelName(start.metadata().name() + "-tuned");
    }
    TrainingConfig config = b.build();
    TrainingListener progress = new ProgressListener();
    boolean canResume = resume && checkpointDir != null
        && Files.isDirectory(checkpointDir.resolve(Training.LAST_CHECKPOINT));
    TrainingResult result;
    if (canResume) {
      result = Training.resume(config, train, val, progress);
    } else if (start != null) {
      result = Training.fineTune(config, start, train, val, progress);
    } else {
      result = Training.train(config, train, val, progress);
    }
    result.model().save(output);
    EpochResult best = result.history().get(result.bestEpoch() - 1);
    System.out.printf(Locale.ROOT, "%nbest epoch %d: val accuracy %.4f, macro-F1 %.4f -> %s%n",
        best.epoch(), best.validation().accuracy(), best.validation().macroF1(), output);
    List<Map<String, Object>> history = Training.historyMaps(result.history());
    Path historyJson = sibling(output, "-history.json");
    AtomicFiles.write(historyJson, (new GsonBuilder().setPrettyPrinting()
        .serializeSpecialFloatingPointValues().create().toJson(history) + "\n").getBytes(StandardCharsets.UTF_8));
    Path curves = sibling(output, "-curves.png");
    Charts.writeTrainingCurves(history, "Training curves: " + config.modelName(), curves);
    System.out.printf("curves -> %s%nhistory -> %s%n", curves, historyJson);
    return 0;
  }

  /**
   * Names a file beside a package: {@code out/model.zip} and "-curves.png" give {@code out/model-curves.png}.
   *
   * @param output the package
   * @param suffix what replaces {@code .zip}
   * @return the absolute path
   */
  static Path sibling(Path output, String suffix) {
    Path abs = output.toAbsolutePath().normalize();
    String name = abs.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      name = name.substring(0, name.length() - 4);
    }
    return abs.resolveSibling(name + suffix);
  }

  private void validate() {
    if (!Files.isDirectory(trainDir)) {
      throw new ParameterException(spec.commandLine(), "No training folder at " + trainDir);
    }
    if (valDir != null && !Files.isDirectory(valDir)) {
      throw new ParameterException(spec.commandLine(), "No validation folder at " + valDir);
    }
    if (epochs < 1 || batchSize < 1) {
      throw new ParameterException(spec.commandLine(), "--epochs and --batch-size must be at least 1");
    }
    if (from != null) {
      for (String option : List.of("--preset", "--labels")) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new ParameterException(spec.commandLine(),
              option + " does not apply with --from: fine-tuning keeps " + from + "'s network and labels");
        }
      }
    }
    try {
      LabelSet.parse(labels);
      NetworkPreset.parse(preset);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    checkEnum(Device.class, device, "--device");
    checkEnum(TrainingConfig.Optimizer.class, optimizer, "--optimizer");
    checkEnum(TrainingConfig.Schedule.class, schedule, "--schedule");
    checkEnum(TrainingConfig.Balancing.class, balancing, "--balancing");
    if (!List.of("standard", "robust", "none").contains(augmentation)) {
      throw new ParameterException(spec.commandLine(), "Unknown --augmentation \"" + augmentation
          + "\"; use one of [standard, robust, none]");
    }
    try {
      Augmentation.STANDARD.withErasing(erasing);
      TrainingConfig.builder(NetworkPreset.VGG_BN).labelSmoothing(labelSmoothing).mixing(mixup, cutmix).ema(ema).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--erasing, --label-smoothing, --mixup, --cutmix or --ema"
          + " out of range (label smoothing in [0, 1), erasing in [0, 1], alphas at least 0,"
          + " ema in [0, 1)): " + e.getMessage());
    }
  }

  private Augmentation augmentationPreset() {
    return switch (augmentation) {
      case "robust" -> Augmentation.ROBUST;
      case "none" -> Augmentation.NONE;
      default -> Augmentation.STANDARD;
    };
  }

  /** An enum constant by its option spelling: {@code sgd-nesterov} is {@code SGD_NESTEROV}. */
  private static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
        return e;
      }
    }
    return null;
  }

  private <E extends Enum<E>> void checkEnum(Class<E> type, String value, String option) {
    if (enumValue(type, value) == null) {
      throw new ParameterException(spec.commandLine(), "Unknown " + option + " \"" + value + "\"; use one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
    }
  }

  /** Prints a progress line per batch (overwritten in place) and per epoch. */
  static final class ProgressListener implements TrainingListener {
    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond, double eta) {
      if (batch % 20 == 0 || batch == batches) {
        System.out.printf(Locale.ROOT, "\repoch %d  batch %d/%d  loss %.4f  %.0f img/s  ETA %s   ",
            epoch, batch, batches, loss, imagesPerSecond, duration(eta));
        System.out.flush();
      }
    }

    @Override
    public void onEpoch(EpochResult r) {
      System.out.printf(Locale.ROOT,
          "%nepoch %d: train loss %.4f acc %.4f | val loss %.4f acc %.4f macro-F1 %.4f | lr %.2e | %.0f s%n",
          r.epoch(), r.trainLoss(), r.trainAccuracy(), r.validationLoss(), r.validation().accuracy(),
          r.validation().macroF1(), r.learningRate(), r.seconds());
    }

    private static String duration(double seconds) {
      long s = (long) seconds;
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
  }
}
