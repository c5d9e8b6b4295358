package io.github.emotion4j.model;

import io.github.emotion4j.ModelPackageException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a layer list computes for a given input: each layer's output shape, the parameter tensors it
 * needs, its parameter count and FLOPs per image. Building one checks that the layers fit together.
 *
 * @param shapes the input shape followed by each layer's output shape
 * @param tensorShapes every parameter tensor the layers need, by full name ({@code layers.3.weight})
 * @param parameters the number of trainable and running-statistics values
 * @param flops floating-point operations per image (a multiply-add counts as two)
 * @since 0.1
 */
public record NetworkSummary(
    List<FeatureShape> shapes, Map<String, int[]> tensorShapes, long parameters, long flops) {

  /** Copies the lists. */
  public NetworkSummary {
    shapes = List.copyOf(shapes);
    tensorShapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensorShapes));
  }

  /**
   * Walks the layer list from the input shape.
   *
   * @param input the input contract
   * @param layers the layers, in order
   * @param outputs the number of outputs the last layer must give (the label count)
   * @return the summary
   * @throws ModelPackageException if a layer cannot take its input, or the network does not end in a
   *     vector of {@code outputs} values
   */
  public static NetworkSummary of(InputContract input, List<LayerSpec> layers, int outputs) {
    List<FeatureShape> shapes = new ArrayList<>();
    Map<String, int[]> tensors = new LinkedHashMap<>();
    FeatureShape shape = input.shape();
    shapes.add(shape);
    long parameters = 0;
    long flops = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      try {
        for (Map.Entry<String, int[]> p : layer.parameterShapes(shape).entrySet()) {
          tensors.put(tensorName(i, p.getKey()), p.getValue());
          parameters += Tensor.elementCount(p.getValue());
        }
        flops += layer.flops(shape);
        shape = layer.outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new ModelPackageException(
            "Layer " + i + " (" + layer.type() + ") cannot take input " + shape + ": " + e.getMessage(), e);
      }
      shapes.add(shape);
    }
    if (!shape.flat() || shape.channels() != outputs) {
      throw new ModelPackageException(
          "The network ends in " + shape + " but must end in a vector of " + outputs
              + " values, one per label");
    }
    return new NetworkSummary(shapes, tensors, parameters, flops);
  }

  /**
   * Returns the stable name of a layer's parameter tensor.
   *
   * @param layerIndex the layer's index in the list
   * @param suffix {@code weight}, {@code bias}, {@code running_mean} or {@code running_var}
   * @return e.g. {@code layers.3.weight}
   */
  public static String tensorName(int layerIndex, String suffix) {
    return "layers." + layerIndex + "." + suffix;
  }
}
