package io.github.emotion4j.backend.pytorch;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.github.emotion4j.Device;
import io.github.emotion4j.Emotion4jException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;

/**
 * A model package as a DJL block on the PyTorch engine. Thread-safe: the block is only read, each
 * call works in its own sub-manager (closed at the end of the call, so native memory does not grow),
 * and parameters are frozen so no thread records gradients.
 */
final class PyTorchNetwork implements RunnableNetwork {
  private final Model model;
  private final SequentialBlock block;
  private final ParameterStore parameters;
  private final InputContract input;
  private final Device device;
  private volatile boolean closed;

  PyTorchNetwork(ModelPackage pkg, ai.djl.Device djlDevice) {
    this.input = pkg.input();
    this.device = djlDevice.isGpu() ? Device.GPU : Device.CPU;
    PyTorchBackend.engine();
    Model m = Model.newInstance(pkg.metadata().name(), djlDevice, PyTorchBackend.ENGINE);
    try {
      block = LayerBlocks.build(pkg.layers());
      m.setBlock(block);
      block.initialize(m.getNDManager(), DataType.FLOAT32, LayerBlocks.inputShape(1, input));
      LayerBlocks.setWeights(block, pkg.tensors());
      block.freezeParameters(true);
      parameters = new ParameterStore(m.getNDManager(), false);
      try (NDManager warmup = m.getNDManager().newSubManager()) { // fills the parameter store once
        block.forward(parameters, new NDList(warmup.zeros(LayerBlocks.inputShape(1, input))), false);
      }
    } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
      m.close();
      throw new ModelPackageException(
          "The PyTorch backend cannot run model \"" + pkg.metadata().name() + "\": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    this.model = m;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public float[] logits(InputBatch batch) {
    if (closed) {
      throw new IllegalStateException("This PyTorch network is closed");
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = LayerBlocks.batch(manager, batch.data(), batch.size(), input);
      NDList out = block.forward(parameters, new NDList(x), false);
      return out.singletonOrThrow().toFloatArray();
    } catch (EngineException e) {
      throw new Emotion4jException("PyTorch inference failed on a batch of " + batch.size() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closed = true;
    model.close();
  }
}
