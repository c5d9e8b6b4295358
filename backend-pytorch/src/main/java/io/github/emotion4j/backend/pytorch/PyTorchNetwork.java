package io.github.emotion4j.backend.pytorch;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import io.github.emotion4j.Device;
import io.github.emotion4j.Emotion4jException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ExternalModel;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.CallGate;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.function.Supplier;

/**
 * A DJL block on the PyTorch engine: a model package's layer list, or a TorchScript module.
 * Thread-safe: the block is only read, each call works in its own sub-manager (closed at the end of
 * the call, so native memory does not grow), and no thread records gradients.
 */
final class PyTorchNetwork implements RunnableNetwork {
  private final Model model;
  private final Block block;
  private final ParameterStore parameters;
  private final FeatureShape imageShape;
  private final boolean nhwc;
  private final Device device;
  private final CallGate gate = new CallGate("This PyTorch network");

  private PyTorchNetwork(Model model, Block block, FeatureShape imageShape, boolean nhwc) {
    this.model = model;
    this.block = block;
    this.imageShape = imageShape;
    this.nhwc = nhwc;
    this.device = model.getNDManager().getDevice().isGpu() ? Device.GPU : Device.CPU;
    this.parameters = new ParameterStore(model.getNDManager(), false);
    try (NDManager warmup = model.getNDManager().newSubManager()) { // fills the parameter store once
      block.forward(parameters, new NDList(input(warmup, new float[(int) imageShape.size()], 1)), false);
    }
  }

  /** Builds a model package's layer list as a DJL block with the package's weights. */
  static PyTorchNetwork of(ModelPackage pkg, ai.djl.Device djlDevice) {
    Model m = newModel(pkg, djlDevice);
    return closingOnFailure(m, pkg, () -> new PyTorchNetwork(m, m.getBlock(), pkg.input().shape(), false));
  }

  /**
   * Builds a DJL model whose block is the package's layer list with the package's weights, frozen;
   * the caller closes it. Also used by the DJL model zoo adapter.
   */
  static Model newModel(ModelPackage pkg, ai.djl.Device djlDevice) {
    PyTorchBackend.engine();
    Model m = Model.newInstance(pkg.metadata().name(), djlDevice, PyTorchBackend.ENGINE);
    return closingOnFailure(m, pkg, () -> {
      SequentialBlock block = LayerBlocks.build(pkg.layers());
      m.setBlock(block);
      block.initialize(m.getNDManager(), DataType.FLOAT32, LayerBlocks.inputShape(1, pkg.input()));
      LayerBlocks.setWeights(block, pkg.tensors());
      block.freezeParameters(true);
      return m;
    });
  }

  /** Runs setup on a new model; if it fails, closes the model and reports engine errors as the api's. */
  private static <T> T closingOnFailure(Model m, ModelPackage pkg, Supplier<T> setup) {
    try {
      return setup.get();
    } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
      m.close();
      throw new ModelPackageException(
          "The PyTorch backend cannot run model \"" + pkg.metadata().name() + "\": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Loads a TorchScript file. It runs code from the file: trusted files only. */
  static PyTorchNetwork of(ExternalModel external, ai.djl.Device djlDevice) {
    PyTorchBackend.engine();
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(external.file())
        .optEngine(PyTorchBackend.ENGINE)
        .optDevice(djlDevice)
        .optTranslator(new NoopTranslator())
        .build();
    ZooModel<NDList, NDList> m;
    try {
      m = criteria.loadModel();
    } catch (Exception e) {
      throw new ModelPackageException(
          "Could not load the TorchScript file " + external.file() + ": " + e.getMessage(), e);
    }
    try {
      ModelSidecar sidecar = external.sidecar();
      return new PyTorchNetwork(m, m.getBlock(), sidecar.input().shape(),
          sidecar.layout() == ModelSidecar.Layout.NHWC);
    } catch (RuntimeException e) {
      m.close();
      throw new ModelPackageException("The TorchScript file " + external.file()
          + " does not run on a " + external.sidecar().input().shape() + " input: " + e.getMessage(), e);
    }
  }

  private NDArray input(NDManager manager, float[] data, int n) {
    FeatureShape s = imageShape;
    Shape shape = nhwc
        ? new Shape(n, s.height(), s.width(), s.channels())
        : new Shape(n, s.channels(), s.height(), s.width());
    return manager.create(data, shape);
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public float[] logits(InputBatch batch) {
    return gate.call(() -> run(batch));
  }

  private float[] run(InputBatch batch) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = input(manager, nhwc ? batch.toNhwc() : batch.data(), batch.size());
      NDList out = block.forward(parameters, new NDList(x), false);
      return out.singletonOrThrow().toType(DataType.FLOAT32, false).toFloatArray();
    } catch (EngineException e) {
      throw new Emotion4jException(
          "PyTorch inference failed on a batch of " + batch.size() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    gate.close(model::close); // waits for calls in flight: DJL frees native memory on close
  }

}
