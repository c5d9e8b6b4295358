package io.github.emotion4j.backend.pytorch;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.model.Tensor;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.TrainingSession;
import io.github.emotion4j.train.TrainingConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** One training run on DJL's PyTorch engine. */
final class PyTorchTrainingSession implements TrainingSession {
  private final TrainingConfig config;
  private final Engine engine;
  private final Model model;
  private final SequentialBlock block;
  private final Trainer trainer;
  private final StepOptimizer optimizer;
  private final NDArray classWeights;
  /** Parameter id to the package's tensor name, so optimiser state survives a checkpoint. */
  private final Map<String, String> names = new LinkedHashMap<>();

  PyTorchTrainingSession(TrainingConfig config, float[] weightsPerClass,
      Map<String, Tensor> startWeights, Map<String, Tensor> optimizerState, int stepsDone) {
    this.config = config;
    this.engine = PyTorchBackend.engine();
    engine.setRandomSeed((int) config.seed());
    ai.djl.Device device = PyTorchBackend.djlDevice(config.device());
    model = Model.newInstance(config.modelName(), device, PyTorchBackend.ENGINE);
    block = LayerBlocks.build(config.layers());
    model.setBlock(block);
    optimizer = new StepOptimizer(config, stepsDone);
    DefaultTrainingConfig tc = new DefaultTrainingConfig(new WeightedCrossEntropy())
        .optOptimizer(optimizer)
        .optDevices(new ai.djl.Device[] {device})
        // PyTorch's own default for conv and dense weights, U(-1/sqrt(fan_in), 1/sqrt(fan_in)):
        // He initialisation gave logits so large that Adam at 1e-3 diverged on the presets
        .optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
            XavierInitializer.FactorType.IN, 1), Parameter.Type.WEIGHT);
    trainer = model.newTrainer(tc);
    trainer.initialize(LayerBlocks.inputShape(1, config.input()));
    if (startWeights != null) {
      LayerBlocks.setWeights(block, startWeights);
    }
    for (int i = 0; i < block.getChildren().size(); i++) {
      for (Pair<String, Parameter> p : block.getChildren().valueAt(i).getParameters()) {
        names.put(p.getValue().getId(), NetworkSummary.tensorName(i, LayerBlocks.suffix(p.getKey())));
      }
    }
    classWeights = model.getNDManager().create(weightsPerClass);
    if (optimizerState != null) {
      restore(optimizerState);
    }
  }

  @Override
  public double trainStep(InputBatch batch, float[] targets, double learningRate, int[] predicted) {
    optimizer.setLearningRate(learningRate);
    double loss;
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray x = LayerBlocks.batch(m, batch.data(), batch.size(), config.input());
      int labels = config.labels().size();
      NDArray y = m.create(java.util.Arrays.copyOf(targets, batch.size() * labels),
          new ai.djl.ndarray.types.Shape(batch.size(), labels));
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
        NDArray l = WeightedCrossEntropy.loss(logits, y, classWeights);
        gc.backward(l);
        loss = l.getFloat();
        long[] top = logits.argMax(1).toLongArray();
        for (int i = 0; i < top.length; i++) {
          predicted[i] = (int) top[i];
        }
      }
      trainer.step();
    }
    return loss;
  }

  @Override
  public float[] logits(InputBatch batch) {
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray x = LayerBlocks.batch(m, batch.data(), batch.size(), config.input());
      return trainer.evaluate(new NDList(x)).singletonOrThrow().toFloatArray();
    }
  }

  @Override
  public Map<String, Tensor> weights() {
    return LayerBlocks.getWeights(block);
  }

  @Override
  public void setWeights(Map<String, Tensor> weights) {
    LayerBlocks.setWeights(block, weights);
  }

  @Override
  public Map<String, Tensor> optimizerState() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    optimizer.first.forEach((id, a) -> out.put(names.get(id) + ".state1", tensor(a)));
    optimizer.second.forEach((id, a) -> out.put(names.get(id) + ".state2", tensor(a)));
    return out;
  }

  private void restore(Map<String, Tensor> state) {
    for (Map.Entry<String, String> e : names.entrySet()) {
      Tensor s1 = state.get(e.getValue() + ".state1");
      Tensor s2 = state.get(e.getValue() + ".state2");
      if (s1 != null) {
        optimizer.first.put(e.getKey(), detached(model.getNDManager().create(s1.data(), shape(s1))));
      }
      if (s2 != null) {
        optimizer.second.put(e.getKey(), detached(model.getNDManager().create(s2.data(), shape(s2))));
      }
    }
  }

  private static NDArray detached(NDArray a) {
    a.detach();
    return a;
  }

  private static ai.djl.ndarray.types.Shape shape(Tensor t) {
    return new ai.djl.ndarray.types.Shape(Arrays.stream(t.shape()).asLongStream().toArray());
  }

  private static Tensor tensor(NDArray a) {
    int[] shape = Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
    return new Tensor(shape, a.toType(DataType.FLOAT32, false).toFloatArray());
  }

  @Override
  public String engine() {
    return PyTorchBackend.ENGINE;
  }

  @Override
  public String engineVersion() {
    return engine.getVersion();
  }

  @Override
  public void close() {
    optimizer.first.values().forEach(NDArray::close);
    optimizer.second.values().forEach(NDArray::close);
    trainer.close();
    model.close();
  }

  /** Soft-target cross-entropy weighted per class: sum(w_i * nll_i) / sum(w_i), w_i = t_i · w. */
  static final class WeightedCrossEntropy extends Loss {
    WeightedCrossEntropy() {
      super("WeightedCrossEntropy");
    }

    static NDArray loss(NDArray logits, NDArray targets, NDArray classWeights) {
      NDArray nll = targets.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
      NDArray w = targets.mul(classWeights).sum(new int[] {1});
      return nll.mul(w).sum().div(w.sum());
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray logits = predictions.singletonOrThrow();
      int n = Math.toIntExact(logits.getShape().get(1));
      NDArray oneHot = labels.singletonOrThrow().toType(DataType.INT64, false).oneHot(n);
      return loss(logits, oneHot, logits.getManager().ones(new ai.djl.ndarray.types.Shape(n)));
    }
  }
}
