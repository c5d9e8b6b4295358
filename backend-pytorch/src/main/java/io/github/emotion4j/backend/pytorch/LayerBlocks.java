package io.github.emotion4j.backend.pytorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.model.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a DJL block from a package's layer list, and moves weights between the package's stable
 * tensor names and the block's parameters. Child {@code i} of the block is layer {@code i}.
 */
final class LayerBlocks {
  /** DJL's parameter names, keyed by our tensor suffixes. */
  private static final Map<String, String> BATCH_NORM_NAMES =
      Map.of("weight", "gamma", "bias", "beta", "running_mean", "runningMean", "running_var", "runningVar");

  private LayerBlocks() {}

  /** Builds the block; its parameters still need {@code initialize} and weights. */
  static SequentialBlock build(List<LayerSpec> layers) {
    SequentialBlock block = new SequentialBlock();
    for (LayerSpec layer : layers) {
      block.add(block(layer));
    }
    return block;
  }

  private static Block block(LayerSpec layer) {
    if (layer instanceof LayerSpec.Conv2d c) {
      return Conv2d.builder()
          .setKernelShape(new Shape(c.kernel(), c.kernel()))
          .optStride(new Shape(c.stride(), c.stride()))
          .optPadding(new Shape(c.padding(), c.padding()))
          .setFilters(c.filters())
          .optBias(c.bias())
          .build();
    } else if (layer instanceof LayerSpec.BatchNorm b) {
      return BatchNorm.builder().optEpsilon((float) b.epsilon()).build();
    } else if (layer instanceof LayerSpec.Relu) {
      return Activation.reluBlock();
    } else if (layer instanceof LayerSpec.LeakyRelu l) {
      return Activation.leakyReluBlock((float) l.slope());
    } else if (layer instanceof LayerSpec.MaxPool p) {
      return Pool.maxPool2dBlock(new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
          new Shape(p.padding(), p.padding()));
    } else if (layer instanceof LayerSpec.AvgPool p) {
      return Pool.avgPool2dBlock(new Shape(p.kernel(), p.kernel()), new Shape(p.stride(), p.stride()),
          new Shape(p.padding(), p.padding()), false, true);
    } else if (layer instanceof LayerSpec.GlobalAvgPool) {
      return Pool.globalAvgPool2dBlock();
    } else if (layer instanceof LayerSpec.Flatten) {
      return Blocks.batchFlattenBlock();
    } else if (layer instanceof LayerSpec.Dense d) {
      return Linear.builder().setUnits(d.units()).optBias(d.bias()).build();
    } else if (layer instanceof LayerSpec.Dropout d) {
      return Dropout.builder().optRate((float) d.rate()).build();
    }
    throw new ModelPackageException(
        "The PyTorch backend cannot build layer type \"" + layer.type() + "\"");
  }

  /** Copies the package's tensors into the initialised block's parameters. */
  static void setWeights(SequentialBlock block, Map<String, Tensor> tensors) {
    BlockList children = block.getChildren();
    for (int i = 0; i < children.size(); i++) {
      for (Pair<String, Parameter> p : children.valueAt(i).getParameters()) {
        String name = NetworkSummary.tensorName(i, suffix(p.getKey()));
        Tensor t = tensors.get(name);
        if (t == null) {
          throw new ModelPackageException("No tensor \"" + name + "\" for the PyTorch block's parameter");
        }
        NDArray array = p.getValue().getArray();
        long[] expected = array.getShape().getShape();
        if (!Arrays.equals(expected, Arrays.stream(t.shape()).asLongStream().toArray())) {
          throw new ModelPackageException("Tensor \"" + name + "\" has shape " + Arrays.toString(t.shape())
              + " but the PyTorch block expects " + Arrays.toString(expected));
        }
        array.set(t.data());
      }
    }
  }

  /** Reads the block's parameters back under the package's tensor names. */
  static Map<String, Tensor> getWeights(SequentialBlock block) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    BlockList children = block.getChildren();
    for (int i = 0; i < children.size(); i++) {
      for (Pair<String, Parameter> p : children.valueAt(i).getParameters()) {
        NDArray array = p.getValue().getArray();
        int[] shape = Arrays.stream(array.getShape().getShape()).mapToInt(Math::toIntExact).toArray();
        out.put(NetworkSummary.tensorName(i, suffix(p.getKey())), new Tensor(shape, array.toFloatArray()));
      }
    }
    return out;
  }

  static String suffix(String djlName) {
    for (Map.Entry<String, String> e : BATCH_NORM_NAMES.entrySet()) {
      if (e.getValue().equals(djlName)) {
        return e.getKey();
      }
    }
    return djlName; // conv2d and dense use "weight" and "bias" as we do
  }

  /** The manager-owned input shape for initialisation: one image. */
  static Shape inputShape(int batch, io.github.emotion4j.model.InputContract input) {
    return new Shape(batch, input.channels(), input.height(), input.width());
  }

  /** Creates an NDArray of a batch of images. */
  static NDArray batch(NDManager manager, float[] data, int n, io.github.emotion4j.model.InputContract input) {
    return manager.create(data, inputShape(n, input));
  }
}
