package io.github.emotion4j.train;

import io.github.emotion4j.Device;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.NetworkPreset;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a training run; immutable, and recorded whole in the trained model's
 * provenance. Build one with {@link #builder(NetworkPreset)} or {@link #builder(List)}.
 *
 * @param modelName the trained package's name
 * @param architecture the preset's id, or {@code "custom"}
 * @param layers the network
 * @param labels the labels to train (images of other labels are dropped)
 * @param input the input contract
 * @param epochs the most epochs to run
 * @param batchSize images per step
 * @param optimizer the optimiser
 * @param learningRate the peak learning rate
 * @param weightDecay decoupled weight decay (AdamW) or L2 (SGD)
 * @param momentum SGD momentum (ignored by AdamW)
 * @param schedule the learning-rate schedule after warm-up
 * @param warmupEpochs epochs of linear warm-up from 0
 * @param stepEpochs for {@link Schedule#STEP}: epochs between decays
 * @param stepFactor for {@link Schedule#STEP}: the decay factor
 * @param augmentation the training-time augmentation
 * @param labelSmoothing the share of each target spread evenly over all labels (0 for none)
 * @param mixupAlpha the Beta(α, α) parameter of mixup, blending two images and their targets (0 for
 *     none)
 * @param cutmixAlpha the Beta(α, α) parameter of CutMix, pasting a box of one image into another and
 *     mixing targets by area (0 for none; with mixup too, each batch uses one of the two at random)
 * @param emaDecay the decay of an exponential moving average of the weights, which is then what is
 *     validated and kept (0 for none; 0.999 is typical)
 * @param balancing how uneven classes are handled
 * @param earlyStopMetric the validation metric that picks the best epoch
 * @param patience epochs without improvement before stopping (0 never stops early)
 * @param seed the seed for weights, shuffling and augmentation
 * @param checkpointDir where a checkpoint is written after each epoch, or null
 * @param device where the network trains ({@link Device#AUTO}: a GPU if there is one)
 * @param backend the trainer's backend name, e.g. {@code "native"} or {@code "pytorch"}, or null
 *     for the available trainer of lowest {@link io.github.emotion4j.spi.ModelTrainer#rank() rank}
 * @since 0.1
 */
public record TrainingConfig(
    String modelName,
    String architecture,
    List<LayerSpec> layers,
    LabelSet labels,
    InputContract input,
    int epochs,
    int batchSize,
    Optimizer optimizer,
    double learningRate,
    double weightDecay,
    double momentum,
    Schedule schedule,
    int warmupEpochs,
    int stepEpochs,
    double stepFactor,
    Augmentation augmentation,
    double labelSmoothing,
    double mixupAlpha,
    double cutmixAlpha,
    double emaDecay,
    Balancing balancing,
    Metric earlyStopMetric,
    int patience,
    long seed,
    Path checkpointDir,
    Device device,
    String backend) {

  /** The optimiser. */
  public enum Optimizer {
    /** Adam with decoupled weight decay. */
    ADAMW,
    /** Stochastic gradient descent with momentum. */
    SGD,
    /** Stochastic gradient descent with Nesterov momentum. */
    SGD_NESTEROV
  }

  /** The learning-rate schedule after warm-up. */
  public enum Schedule {
    /** Cosine decay to zero over the remaining epochs. */
    COSINE,
    /** Multiply by {@code stepFactor} every {@code stepEpochs}. */
    STEP,
    /** Constant. */
    CONSTANT
  }

  /** How uneven classes are handled. */
  public enum Balancing {
    /** Plain cross-entropy over the data as it is. */
    NONE,
    /** Cross-entropy weighted by the inverse square root of each class's frequency. */
    CLASS_WEIGHTS,
    /** Batches drawn with each class equally likely. */
    BALANCED_SAMPLING
  }

  /** A validation metric. */
  public enum Metric {
    /** Accuracy. */
    ACCURACY,
    /** Macro-averaged F1. */
    MACRO_F1
  }

  /** Validates and copies. */
  public TrainingConfig {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(architecture, "architecture");
    layers = List.copyOf(layers);
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(augmentation, "augmentation");
    Objects.requireNonNull(balancing, "balancing");
    Objects.requireNonNull(earlyStopMetric, "earlyStopMetric");
    Objects.requireNonNull(device, "device");
    if (backend != null) {
      backend = backend.trim().toLowerCase(java.util.Locale.ROOT);
      if (backend.isEmpty() || backend.equals("auto")) {
        backend = null;
      }
    }
    if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || weightDecay < 0 || momentum < 0
        || momentum >= 1 || warmupEpochs < 0 || stepEpochs < 1 || !(stepFactor > 0) || patience < 0
        || !(labelSmoothing >= 0 && labelSmoothing < 1) || !(mixupAlpha >= 0) || !(cutmixAlpha >= 0)
        || !(emaDecay >= 0 && emaDecay < 1)) {
      throw new IllegalArgumentException("invalid training configuration: " + this);
    }
  }

  /**
   * Starts a configuration for a preset, with FER2013's labels and input.
   *
   * @param preset the network
   * @return a builder
   */
  public static Builder builder(NetworkPreset preset) {
    return new Builder(preset.id(), null, preset);
  }

  /**
   * Starts a configuration for a custom layer list.
   *
   * @param layers the network, its last layer giving one output per label
   * @return a builder
   */
  public static Builder builder(List<LayerSpec> layers) {
    return new Builder("custom", layers, null);
  }

  /**
   * Returns a builder holding this configuration.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(architecture, layers, null);
    b.modelName = modelName;
    b.labels = labels;
    b.input = input;
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.weightDecay = weightDecay;
    b.momentum = momentum;
    b.schedule = schedule;
    b.warmupEpochs = warmupEpochs;
    b.stepEpochs = stepEpochs;
    b.stepFactor = stepFactor;
    b.augmentation = augmentation;
    b.labelSmoothing = labelSmoothing;
    b.mixupAlpha = mixupAlpha;
    b.cutmixAlpha = cutmixAlpha;
    b.emaDecay = emaDecay;
    b.balancing = balancing;
    b.earlyStopMetric = earlyStopMetric;
    b.patience = patience;
    b.seed = seed;
    b.checkpointDir = checkpointDir;
    b.device = device;
    b.backend = backend;
    return b;
  }

  /**
   * Returns the learning rate for a step, following warm-up and the schedule.
   *
   * @param step the update count from 0
   * @param stepsPerEpoch steps in one epoch
   * @return the learning rate
   */
  public double learningRateAt(int step, int stepsPerEpoch) {
    double epoch = step / (double) stepsPerEpoch;
    if (epoch < warmupEpochs) {
      return learningRate * (step + 1) / (warmupEpochs * (double) stepsPerEpoch);
    }
    switch (schedule) {
      case COSINE:
        double span = Math.max(1, epochs - warmupEpochs);
        double progress = Math.min(1, (epoch - warmupEpochs) / span);
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
      case STEP:
        return learningRate * Math.pow(stepFactor, Math.floor((epoch - warmupEpochs) / stepEpochs));
      default:
        return learningRate;
    }
  }

  /**
   * Returns the configuration as a JSON-ready map for provenance.
   *
   * @return the whole configuration
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("architecture", architecture);
    m.put("labels", labels.name());
    m.put("epochs", epochs);
    m.put("batch-size", batchSize);
    m.put("optimizer", optimizer.name().toLowerCase(java.util.Locale.ROOT));
    m.put("learning-rate", learningRate);
    m.put("weight-decay", weightDecay);
    m.put("momentum", momentum);
    m.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
    m.put("warmup-epochs", warmupEpochs);
    m.put("step-epochs", stepEpochs);
    m.put("step-factor", stepFactor);
    m.put("augmentation", augmentation.describe());
    m.put("label-smoothing", labelSmoothing);
    m.put("mixup-alpha", mixupAlpha);
    m.put("cutmix-alpha", cutmixAlpha);
    m.put("ema-decay", emaDecay);
    m.put("balancing", balancing.name().toLowerCase(java.util.Locale.ROOT));
    m.put("early-stop-metric", earlyStopMetric.name().toLowerCase(java.util.Locale.ROOT));
    m.put("patience", patience);
    m.put("seed", seed);
    m.put("device", device.name().toLowerCase(java.util.Locale.ROOT));
    m.put("backend", backend == null ? "auto" : backend);
    return m;
  }

  /** Builds a {@link TrainingConfig}; defaults suit FER2013. Not thread-safe. */
  public static final class Builder {
    private final String architecture;
    private final List<LayerSpec> layers;
    private final NetworkPreset preset;
    private String modelName;
    private LabelSet labels = LabelSet.FER2013;
    private InputContract input = InputContract.FER2013;
    private int epochs = 30;
    private int batchSize = 64;
    private Optimizer optimizer = Optimizer.ADAMW;
    private double learningRate = 3e-4;
    private double weightDecay = 1e-4;
    private double momentum = 0.9;
    private Schedule schedule = Schedule.COSINE;
    private int warmupEpochs = 1;
    private int stepEpochs = 10;
    private double stepFactor = 0.1;
    private Augmentation augmentation = Augmentation.STANDARD;
    private double labelSmoothing;
    private double mixupAlpha;
    private double cutmixAlpha;
    private double emaDecay;
    private Balancing balancing = Balancing.CLASS_WEIGHTS;
    private Metric earlyStopMetric = Metric.MACRO_F1;
    private int patience = 8;
    private long seed = 20261125L;
    private Path checkpointDir;
    private Device device = Device.AUTO;
    private String backend;

    private Builder(String architecture, List<LayerSpec> layers, NetworkPreset preset) {
      this.architecture = architecture;
      this.layers = layers;
      this.preset = preset;
    }

    /**
     * Names the trained package. Default {@code <labels>-<architecture>}.
     *
     * @param name the name
     * @return this builder
     */
    public Builder modelName(String name) {
      this.modelName = name;
      return this;
    }

    /**
     * Sets the labels. Default {@link LabelSet#FER2013}.
     *
     * @param labels the labels
     * @return this builder
     */
    public Builder labels(LabelSet labels) {
      this.labels = labels;
      return this;
    }

    /**
     * Sets the input contract. Default {@link InputContract#FER2013}.
     *
     * @param input the contract
     * @return this builder
     */
    public Builder input(InputContract input) {
      this.input = input;
      return this;
    }

    /**
     * Sets the most epochs. Default 30.
     *
     * @param epochs epochs
     * @return this builder
     */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /**
     * Sets the batch size. Default 64.
     *
     * @param batchSize images per step
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Sets the optimiser and its peak learning rate. Default AdamW at 3e-4 (1e-3 trains the presets poorly from PyTorch-style initial weights).
     *
     * @param optimizer the optimiser
     * @param learningRate the peak learning rate
     * @return this builder
     */
    public Builder optimizer(Optimizer optimizer, double learningRate) {
      this.optimizer = optimizer;
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Sets the weight decay. Default 1e-4.
     *
     * @param weightDecay the decay
     * @return this builder
     */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Sets SGD's momentum. Default 0.9.
     *
     * @param momentum the momentum
     * @return this builder
     */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /**
     * Sets the schedule and warm-up. Default cosine after 1 warm-up epoch.
     *
     * @param schedule the schedule
     * @param warmupEpochs warm-up epochs
     * @return this builder
     */
    public Builder schedule(Schedule schedule, int warmupEpochs) {
      this.schedule = schedule;
      this.warmupEpochs = warmupEpochs;
      return this;
    }

    /**
     * Sets the step schedule's period and factor. Default every 10 epochs by 0.1.
     *
     * @param everyEpochs epochs between decays
     * @param factor decay factor
     * @return this builder
     */
    public Builder stepDecay(int everyEpochs, double factor) {
      this.stepEpochs = everyEpochs;
      this.stepFactor = factor;
      return this;
    }

    /**
     * Sets the augmentation. Default {@link Augmentation#STANDARD}.
     *
     * @param augmentation the augmentation
     * @return this builder
     */
    public Builder augmentation(Augmentation augmentation) {
      this.augmentation = augmentation;
      return this;
    }

    /**
     * Sets label smoothing. Default 0 (none).
     *
     * @param epsilon the share of each target spread evenly over all labels, in [0, 1)
     * @return this builder
     */
    public Builder labelSmoothing(double epsilon) {
      this.labelSmoothing = epsilon;
      return this;
    }

    /**
     * Sets mixup and CutMix. Default neither. With both, each batch uses one of the two at random.
     *
     * @param mixupAlpha Beta(α, α) for mixup's blend weight, 0 for no mixup
     * @param cutmixAlpha Beta(α, α) for CutMix's area share, 0 for no CutMix
     * @return this builder
     */
    public Builder mixing(double mixupAlpha, double cutmixAlpha) {
      this.mixupAlpha = mixupAlpha;
      this.cutmixAlpha = cutmixAlpha;
      return this;
    }

    /**
     * Keeps an exponential moving average of the weights and validates (and keeps) it instead of
     * the raw weights. Default 0 (none).
     *
     * @param decay the decay per step, in [0, 1); 0.999 is typical
     * @return this builder
     */
    public Builder ema(double decay) {
      this.emaDecay = decay;
      return this;
    }

    /**
     * Sets the class balancing. Default class weights.
     *
     * @param balancing the balancing
     * @return this builder
     */
    public Builder balancing(Balancing balancing) {
      this.balancing = balancing;
      return this;
    }

    /**
     * Sets early stopping. Default macro-F1 with patience 8.
     *
     * @param metric the validation metric that picks the best epoch
     * @param patience epochs without improvement before stopping; 0 never stops early
     * @return this builder
     */
    public Builder earlyStopping(Metric metric, int patience) {
      this.earlyStopMetric = metric;
      this.patience = patience;
      return this;
    }

    /**
     * Sets the seed. Default 20261125.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Writes a checkpoint to this folder after every epoch. Default none.
     *
     * @param dir the folder
     * @return this builder
     */
    public Builder checkpointDir(Path dir) {
      this.checkpointDir = dir;
      return this;
    }

    /**
     * Sets where the network trains. Default {@link Device#AUTO}: a GPU when the training backend
     * sees one, else the CPU; {@link Device#GPU} fails with a
     * {@link io.github.emotion4j.DeviceUnavailableException} when there is none.
     *
     * @param device the device
     * @return this builder
     */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /**
     * Picks the trainer by backend name, e.g. {@code "native"} (the pure-JVM trainer) or {@code
     * "pytorch"}. Default: null (or {@code "auto"}), the available trainer of lowest rank.
     *
     * @param backend the name, matched case-insensitively, or null
     * @return this builder
     */
    public Builder backend(String backend) {
      this.backend = backend;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     */
    public TrainingConfig build() {
      List<LayerSpec> l = preset != null ? preset.layers(labels.size()) : layers;
      String name = modelName != null ? modelName : labels.name() + "-" + architecture;
      return new TrainingConfig(name, architecture, l, labels, input, epochs, batchSize, optimizer,
          learningRate, weightDecay, momentum, schedule, warmupEpochs, stepEpochs, stepFactor,
          augmentation, labelSmoothing, mixupAlpha, cutmixAlpha, emaDecay, balancing, earlyStopMetric, patience, seed, checkpointDir, device,
          backend);
    }
  }
}
