package io.github.emotion4j.model;

import io.github.emotion4j.model.LayerSpec.BatchNorm;
import io.github.emotion4j.model.LayerSpec.Conv2d;
import io.github.emotion4j.model.LayerSpec.Dense;
import io.github.emotion4j.model.LayerSpec.Dropout;
import io.github.emotion4j.model.LayerSpec.Flatten;
import io.github.emotion4j.model.LayerSpec.MaxPool;
import io.github.emotion4j.model.LayerSpec.Relu;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The networks emotion4j ships as data: the two the paper compared, adapted to FER2013's 48×48
 * input, and our own. Each yields a layer list for any label count; {@link #summary} gives its
 * parameters and FLOPs.
 *
 * @since 0.1
 */
public enum NetworkPreset {
  /**
   * LeNet-5 at 48×48: conv 6@5×5, max-pool 2, conv 16@5×5, max-pool 2, dense 120, 84, outputs.
   * Adapted from the original with ReLU for tanh and max- for average-pooling, as the paper's
   * implementation did; the larger input gives a 16×9×9 feature map before the dense layers.
   */
  LENET("lenet"),
  /**
   * AlexNet's layer table (five convolutions of 96-256-384-384-256 filters, three overlapping 3×3
   * stride-2 max-pools, dropout 0.5 before two hidden dense layers), scaled from 227×227 to 48×48:
   * the first convolution is 5×5 stride 2 (was 11×11 stride 4), so the map is 24×24 after it (was
   * 55×55), and the hidden dense layers have 1024 units (was 4096) for the 256×2×2 final map. Batch
   * norm is not used, as in the original.
   */
  ALEXNET("alexnet"),
  /**
   * Our network: VGG-style, three stages of two 3×3 convolutions each followed by batch-norm and
   * ReLU (32, 64, 128 filters), a 2×2 max-pool after each stage, dropout 0.5, dense 256, dropout
   * 0.5, outputs. Chosen for accuracy per FLOP on 48×48 faces: small kernels stacked, batch-norm for
   * fast stable training, about 174 MFLOP per image.
   */
  VGG_BN("vgg-bn"),
  /**
   * The wider network the accuracy work chose by pilot runs (docs/RESULTS.md): four stages of two
   * 3×3 convolutions with batch-norm and ReLU (48, 96, 192, 384 filters), a 2×2 max-pool after each
   * stage (48 → 3 pixels), dropout 0.25, dense 512, dropout 0.25, outputs. Capacity is added where
   * it is cheap, at 12×12 and below: 3× the FLOPs of {@link #VGG_BN} (532 MFLOP per image) for 3× the
   * parameters (4.4 M); half the bundled network's dropout, as it underfits.
   */
  VGG_BN_WIDE("vgg-bn-wide");

  private final String id;

  NetworkPreset(String id) {
    this.id = id;
  }

  /**
   * Returns the preset's identifier, e.g. {@code "vgg-bn"}.
   *
   * @return the identifier
   */
  public String id() {
    return id;
  }

  /**
   * Finds a preset by its identifier or enum name, case-insensitively.
   *
   * @param name e.g. {@code "lenet"}, {@code "alexnet"}, {@code "vgg-bn"}
   * @return the preset
   * @throws IllegalArgumentException naming the presets that exist
   */
  public static NetworkPreset parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (NetworkPreset p : values()) {
      if (p.id.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException("Unknown network preset \"" + name + "\". Presets: " + ids());
  }

  /**
   * Lists the presets' identifiers, for help texts and messages.
   *
   * @return e.g. {@code "lenet, alexnet, vgg-bn, vgg-bn-wide"}
   */
  public static String ids() {
    return java.util.Arrays.stream(values()).map(NetworkPreset::id).collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Returns the layer list for a label count.
   *
   * @param outputs the number of labels
   * @return the layers, in order
   */
  public List<LayerSpec> layers(int outputs) {
    List<LayerSpec> l = new ArrayList<>();
    switch (this) {
      case LENET:
        l.add(new Conv2d(6, 5, 1, 0, true));
        l.add(new Relu());
        l.add(new MaxPool(2, 2, 0));
        l.add(new Conv2d(16, 5, 1, 0, true));
        l.add(new Relu());
        l.add(new MaxPool(2, 2, 0));
        l.add(new Flatten());
        l.add(new Dense(120, true));
        l.add(new Relu());
        l.add(new Dense(84, true));
        l.add(new Relu());
        l.add(new Dense(outputs, true));
        break;
      case ALEXNET:
        l.add(new Conv2d(96, 5, 2, 2, true));
        l.add(new Relu());
        l.add(new MaxPool(3, 2, 0));
        l.add(new Conv2d(256, 5, 1, 2, true));
        l.add(new Relu());
        l.add(new MaxPool(3, 2, 0));
        l.add(new Conv2d(384, 3, 1, 1, true));
        l.add(new Relu());
        l.add(new Conv2d(384, 3, 1, 1, true));
        l.add(new Relu());
        l.add(new Conv2d(256, 3, 1, 1, true));
        l.add(new Relu());
        l.add(new MaxPool(3, 2, 0));
        l.add(new Flatten());
        l.add(new Dropout(0.5));
        l.add(new Dense(1024, true));
        l.add(new Relu());
        l.add(new Dropout(0.5));
        l.add(new Dense(1024, true));
        l.add(new Relu());
        l.add(new Dense(outputs, true));
        break;
      case VGG_BN_WIDE:
        vgg(l, new int[] {48, 96, 192, 384}, 512, 0.25, outputs);
        break;
      default:
        vgg(l, new int[] {32, 64, 128}, 256, 0.5, outputs);
    }
    return List.copyOf(l);
  }

  /** Stages of two 3×3 conv-BN-ReLU and a max-pool, then dropout, dense, dropout, outputs. */
  private static void vgg(List<LayerSpec> l, int[] stages, int hidden, double dropout, int outputs) {
    for (int filters : stages) {
      for (int i = 0; i < 2; i++) {
        l.add(new Conv2d(filters, 3, 1, 1, false));
        l.add(new BatchNorm(1e-5));
        l.add(new Relu());
      }
      l.add(new MaxPool(2, 2, 0));
    }
    l.add(new Flatten());
    l.add(new Dropout(dropout));
    l.add(new Dense(hidden, true));
    l.add(new Relu());
    l.add(new Dropout(dropout));
    l.add(new Dense(outputs, true));
  }

  /**
   * Returns the shapes, parameter count and FLOPs per image for an input and label count.
   *
   * @param input the input contract
   * @param outputs the number of labels
   * @return the summary
   */
  public NetworkSummary summary(InputContract input, int outputs) {
    return NetworkSummary.of(input, layers(outputs), outputs);
  }
}
