package io.github.emotion4j.samples.cli;

import io.github.emotion4j.Device;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.internal.Backends;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelProvenance;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Measures a backend's latency and throughput on this machine. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = {"Time a backend on random preprocessed batches: after a warm-up, run each batch size for "
        + "--seconds and print a Markdown table row per case with the median latency, images/s and GFLOP/s.",
        "--preprocess times image decoding and preprocessing of a folder's images instead (add --batch to "
            + "time inference as well).",
        "--train times training steps instead (AdamW, default batch 64), the trainers named by --backend "
            + "(default native,pytorch) interleaved over --rounds rounds; GFLOP/s counts a step as three "
            + "forward passes."})
final class BenchmarkCommand implements Callable<Integer> {
  /** The table header. */
  static final String HEADER = "| backend | device | model | case | batch | median ms | images/s | GFLOP/s |";
  /** The Markdown rule under the header. */
  static final String RULE = "|---|---|---|---|---:|---:|---:|---:|";

  /** The {@code --backend} option. */
  @Option(names = "--backend", paramLabel = "B", description = "The backend (default: as the library picks, see backends).")
  String backend;

  /** The {@code --device} option. */
  @Option(names = "--device", paramLabel = "D", defaultValue = "auto", description = "cpu, gpu or auto (default ${DEFAULT-VALUE}).")
  String device;

  /** The {@code --model} option. */
  @Option(names = "--model", paramLabel = "M", description = "A model name or package path.")
  String model;

  /** The {@code --preset} option. */
  @Option(names = "--preset", paramLabel = "P",
      description = "Without --model: one of the presets (" + TrainCommand.PRESETS + ") with random weights (default vgg-bn).")
  String preset;

  /** The {@code --batch} option. */
  @Option(names = "--batch", paramLabel = "N", split = ",", description = "Batch sizes (default 1,64).")
  List<Integer> batches;

  /** The {@code --seconds} option. */
  @Option(names = "--seconds", paramLabel = "S", defaultValue = "5", description = "Timed seconds per case (default ${DEFAULT-VALUE}).")
  double seconds;

  /** The {@code --warmup} option. */
  @Option(names = "--warmup", paramLabel = "S", description = "Warm-up seconds per case (default: a fifth of --seconds, at most 2).")
  Double warmup;

  /** The {@code --preprocess} option. */
  @Option(names = "--preprocess", paramLabel = "FOLDER", description = "Time decode + preprocess on this folder's images.")
  Path preprocess;

  /** The {@code --train} option. */
  @Option(names = "--train", description = "Time training steps instead of inference.")
  boolean train;

  /** The {@code --rounds} option. */
  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
      description = "With --train: rounds, each trainer timed once per round (default ${DEFAULT-VALUE}).")
  int rounds;

  /** This command, as picocli parsed it. */
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    validate();
    double warm = warmup != null ? warmup : Math.min(2, seconds / 5);
    if (train) {
      if (model != null || preprocess != null || rounds < 1) {
        throw new ParameterException(spec.commandLine(), "--train takes --preset, not --model or --preprocess,"
            + " and --rounds of at least 1");
      }
      System.out.println(HEADER);
      System.out.println(RULE);
      TrainBenchmark.run(presetValue(), List.of((backend != null ? backend : "native,pytorch").split(",")),
          batches != null ? batches : List.of(64), rounds, warmup != null ? warmup : 2, seconds);
      return 0;
    }
    List<Integer> sizes = batches != null ? batches : preprocess != null ? List.of() : List.of(1, 64);
    ModelPackage pkg = model();
    String modelName = model != null ? pkg.metadata().name() : presetValue().id() + " (random weights)";
    System.out.println(HEADER);
    System.out.println(RULE);
    if (preprocess != null) {
      List<Path> files = ClassifyCommand.expand(List.of(preprocess));
      if (files.isEmpty()) {
        throw new IllegalArgumentException("No images in " + preprocess);
      }
      double perSecond = preprocessRate(files, pkg.input(), warm, seconds);
      System.out.printf(Locale.ROOT, "| - | - | %s | decode+preprocess (%d files) | 1 | %.3f | %.0f | - |%n",
          modelName, files.size(), 1000 / perSecond, perSecond);
    }
    if (sizes.isEmpty()) {
      return 0;
    }
    EmotionBackend chosen = Backends.discover().select(backend);
    Device concrete = device(chosen);
    long flops = pkg.summary().flops();
    try (RunnableNetwork network = chosen.load(pkg, concrete)) {
      for (int batch : sizes) {
        double median = medianSeconds(network, pkg, batch, warm, seconds);
        double imagesPerSecond = batch / median;
        System.out.printf(Locale.ROOT, "| %s | %s | %s | inference | %d | %.3f | %.1f | %.2f |%n",
            chosen.name(), network.device().toString().toLowerCase(Locale.ROOT), modelName, batch,
            median * 1000, imagesPerSecond, flops * imagesPerSecond / 1e9);
      }
    }
    return 0;
  }

  private void validate() {
    if (model != null && preset != null) {
      throw new ParameterException(spec.commandLine(), "--model and --preset cannot be combined");
    }
    if (!(seconds > 0) || seconds > 3600) {
      throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 3600], got " + seconds);
    }
    if (warmup != null && (warmup < 0 || warmup > 3600)) {
      throw new ParameterException(spec.commandLine(), "--warmup must be in [0, 3600], got " + warmup);
    }
    if (batches != null && (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1 || b > 65536))) {
      throw new ParameterException(spec.commandLine(), "--batch sizes must be 1 to 65536, got " + batches);
    }
    if (preprocess != null && !Files.isDirectory(preprocess)) {
      throw new ParameterException(spec.commandLine(), "No folder at " + preprocess + " for --preprocess");
    }
    if (preset != null) {
      try {
        NetworkPreset.parse(preset);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  private NetworkPreset presetValue() {
    return NetworkPreset.parse(preset != null ? preset : NetworkPreset.VGG_BN.id());
  }

  private ModelPackage model() {
    if (model != null) {
      return ClassifierOptions.loadPackage(model);
    }
    return randomPackage(presetValue(), LabelSet.FER2013, 42);
  }

  private Device device(EmotionBackend b) {
    Device wanted = Device.parse(device);
    Set<Device> present = b.devices();
    if (wanted == Device.AUTO) {
      return present.contains(Device.GPU) ? Device.GPU : Device.CPU;
    }
    if (!present.contains(wanted)) {
      throw new IllegalArgumentException("Device " + wanted + " is not available to the " + b.name()
          + " backend here; devices present: " + present);
    }
    return wanted;
  }

  /**
   * Runs warm-up, then timed batches for about {@code seconds} (at least three).
   *
   * @param network the loaded network
   * @param pkg its package (for the input shape)
   * @param batch images per run
   * @param warmup untimed seconds first
   * @param seconds timed seconds
   * @return the median seconds per run
   */
  static double medianSeconds(RunnableNetwork network, ModelPackage pkg, int batch, double warmup, double seconds) {
    int size = pkg.input().imageSize();
    float[] data = new float[batch * size];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble(-1, 1);
    }
    InputBatch input = new InputBatch(data, batch, pkg.input().shape());
    long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
    int warmRuns = 0;
    while (warmRuns < 2 || System.nanoTime() < warmEnd) {
      network.logits(input);
      warmRuns++;
    }
    List<Long> times = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (times.size() < 3 || System.nanoTime() < end) {
      long t0 = System.nanoTime();
      network.logits(input);
      times.add(System.nanoTime() - t0);
    }
    long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    return median / 1e9;
  }

  /**
   * Decodes and preprocesses the files round-robin on this thread.
   *
   * @param files image files
   * @param contract the input contract
   * @param warmup untimed seconds first
   * @param seconds timed seconds
   * @return images per second
   */
  static double preprocessRate(List<Path> files, InputContract contract, double warmup, double seconds) {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor preprocessor = new ImagePreprocessor(contract);
    float[] out = new float[contract.imageSize()];
    int i = 0;
    long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
    while (System.nanoTime() < warmEnd) {
      preprocessor.preprocess(decoder.decode(files.get(i++ % files.size())), null, out, 0);
    }
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int done = 0;
    while (done < 3 || System.nanoTime() < end) {
      preprocessor.preprocess(decoder.decode(files.get(i++ % files.size())), null, out, 0);
      done++;
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * Builds a preset's package with seeded He-uniform weights and identity batch-norm statistics.
   *
   * @param preset the network
   * @param labels its outputs
   * @param seed the weights' seed
   * @return the package
   */
  static ModelPackage randomPackage(NetworkPreset preset, LabelSet labels, long seed) {
    InputContract input = InputContract.FER2013;
    var layers = preset.layers(labels.size());
    NetworkSummary summary = NetworkSummary.of(input, layers, labels.size());
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    summary.tensorShapes().forEach((name, shape) -> {
      float[] v = new float[(int) Tensor.elementCount(shape)];
      String suffix = name.substring(name.lastIndexOf('.') + 1);
      if (suffix.equals("weight") && shape.length > 1) {
        double bound = Math.sqrt(6.0 / (v.length / shape[0]));
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) random.nextDouble(-bound, bound);
        }
      } else if (suffix.equals("weight") || suffix.equals("running_var")) {
        Arrays.fill(v, 1f);
      }
      tensors.put(name, new Tensor(shape, v));
    });
    return ModelPackage.create("benchmark-" + preset.id(), "random", labels, input, layers, tensors,
        ModelProvenance.now(ModelProvenance.SOURCE_UNTRAINED, "benchmark", "none", "none"));
  }
}
