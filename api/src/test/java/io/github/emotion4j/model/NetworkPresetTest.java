package io.github.emotion4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.ModelPackageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parameter counts and FLOPs of each preset on 48x48x1 input with 7 outputs, computed here layer by
 * layer from the architectures' definitions (not through {@link LayerSpec}).
 *
 * <p>Convention (the one {@link NetworkSummary} documents): a multiply-add is 2 FLOPs; batch-norm
 * costs 2 per value, ReLU 1 per value, a pooling window k*k per output value.
 */
class NetworkPresetTest {
  /** Running totals for the hand computation. */
  private static final class Tally {
    long params;
    long macFlops; // convolutions and dense layers only
    long otherFlops; // batch-norm, ReLU, pooling

    /** A convolution from {@code in} channels to {@code out} channels giving an oh x ow map. */
    void conv(int in, int out, int k, int oh, int ow, boolean bias) {
      params += (long) out * in * k * k + (bias ? out : 0);
      macFlops += 2L * out * oh * ow * in * k * k;
    }

    void dense(int in, int out) {
      params += (long) in * out + out;
      macFlops += 2L * in * out;
    }

    void batchNorm(int c, int h, int w) {
      params += 4L * c;
      otherFlops += 2L * c * h * w;
    }

    void relu(long values) {
      otherFlops += values;
    }

    void pool(int c, int oh, int ow, int k) {
      otherFlops += (long) c * oh * ow * k * k;
    }

    long flops() {
      return macFlops + otherFlops;
    }
  }

  private static NetworkSummary summary(NetworkPreset p) {
    return p.summary(InputContract.FER2013, 7);
  }

  /** Counts a VGG-style preset by hand: stages of two 3×3 conv-BN-ReLU and a 2×2 max-pool, then dense. */
  private static Tally vgg(int[] stages, int hidden, int finalSize) {
    Tally t = new Tally();
    int in = 1;
    int size = 48;
    for (int filters : stages) {
      for (int i = 0; i < 2; i++) {
        t.conv(in, filters, 3, size, size, false); // 3x3, padding 1: size kept
        t.batchNorm(filters, size, size);
        t.relu((long) filters * size * size);
        in = filters;
      }
      size /= 2;
      t.pool(filters, size, size, 2);
    }
    assertEquals(finalSize, size);
    t.dense(in * size * size, hidden);
    t.relu(hidden);
    t.dense(hidden, 7);
    return t;
  }

  @Test
  void vggBn() {
    Tally t = vgg(new int[] {32, 64, 128}, 256, 6);
    NetworkSummary s = summary(NetworkPreset.VGG_BN);
    assertEquals(1_469_479, t.params);
    assertEquals(t.params, s.parameters());
    // 173.6 MFLOP counts convolutions and dense layers (the figure DESIGN.md quotes); the summary
    // also counts batch-norm, ReLU and pooling, 0.9 MFLOP more.
    assertEquals(173_559_296L, t.macFlops);
    assertEquals(173.6, t.macFlops / 1e6, 0.05);
    assertEquals(174_462_720L, t.flops());
    assertEquals(t.flops(), s.flops());
    assertEquals(FeatureShape.map(128, 6, 6), s.shapes().get(s.shapes().size() - 7));
  }

  @Test
  void vggBnWide() {
    Tally t = vgg(new int[] {48, 96, 192, 384}, 512, 3);
    NetworkSummary s = summary(NetworkPreset.VGG_BN_WIDE);
    assertEquals(4_413_239, t.params);
    assertEquals(t.params, s.parameters());
    assertEquals(t.flops(), s.flops());
    assertEquals(532.5, s.flops() / 1e6, 0.05);
    assertEquals(FeatureShape.map(384, 3, 3), s.shapes().get(s.shapes().size() - 7));
  }

  @Test
  void lenet() {
    Tally t = new Tally();
    t.conv(1, 6, 5, 44, 44, true);
    t.relu(6 * 44 * 44);
    t.pool(6, 22, 22, 2);
    t.conv(6, 16, 5, 18, 18, true);
    t.relu(16 * 18 * 18);
    t.pool(16, 9, 9, 2);
    t.dense(16 * 9 * 9, 120);
    t.relu(120);
    t.dense(120, 84);
    t.relu(84);
    t.dense(84, 7);
    NetworkSummary s = summary(NetworkPreset.LENET);
    assertEquals(168_971, t.params);
    assertEquals(t.params, s.parameters());
    assertEquals(t.flops(), s.flops());
    assertEquals(FeatureShape.map(16, 9, 9), s.shapes().get(6));
  }

  @Test
  void alexnet() {
    Tally t = new Tally();
    t.conv(1, 96, 5, 24, 24, true); // 5x5 stride 2 padding 2: (48 + 4 - 5) / 2 + 1 = 24
    t.relu(96 * 24 * 24);
    t.pool(96, 11, 11, 3); // 3x3 stride 2: (24 - 3) / 2 + 1 = 11
    t.conv(96, 256, 5, 11, 11, true);
    t.relu(256 * 11 * 11);
    t.pool(256, 5, 5, 3);
    t.conv(256, 384, 3, 5, 5, true);
    t.relu(384 * 25);
    t.conv(384, 384, 3, 5, 5, true);
    t.relu(384 * 25);
    t.conv(384, 256, 3, 5, 5, true);
    t.relu(256 * 25);
    t.pool(256, 2, 2, 3);
    t.dense(256 * 2 * 2, 1024);
    t.relu(1024);
    t.dense(1024, 1024);
    t.relu(1024);
    t.dense(1024, 7);
    NetworkSummary s = summary(NetworkPreset.ALEXNET);
    assertEquals(t.params, s.parameters());
    assertEquals(t.flops(), s.flops());
    assertEquals(FeatureShape.map(256, 2, 2), s.shapes().get(13));
  }

  @Test
  void everyPresetEndsInOneOutputPerLabelAndNamesItsTensors() {
    for (NetworkPreset p : NetworkPreset.values()) {
      for (int outputs : new int[] {4, 7}) {
        NetworkSummary s = p.summary(InputContract.FER2013, outputs);
        assertEquals(FeatureShape.vector(outputs), s.shapes().get(s.shapes().size() - 1));
        assertTrue(s.tensorShapes().keySet().stream().allMatch(n -> n.matches("layers\\.\\d+\\.\\w+")));
      }
      assertEquals(p, NetworkPreset.parse(p.id()));
      assertEquals(p, NetworkPreset.parse(" " + p.name().toLowerCase() + " "));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkPreset.parse("resnet"));
    assertEquals("Unknown network preset \"resnet\". Presets: lenet, alexnet, vgg-bn, vgg-bn-wide", e.getMessage());
  }

  @Test
  void aLayerListThatDoesNotFitIsExplained() {
    InputContract tiny = new InputContract(1, 4, 4, List.of(0.0), List.of(1.0), InputContract.AREA);
    ModelPackageException e = assertThrows(ModelPackageException.class,
        () -> NetworkPreset.LENET.summary(tiny, 7));
    assertEquals("Layer 0 (conv2d) cannot take input [1x4x4]: conv2d window 5 is larger than its padded input 4",
        e.getMessage());
    ModelPackageException noFlatten = assertThrows(ModelPackageException.class,
        () -> NetworkSummary.of(InputContract.FER2013, List.of(new LayerSpec.Dense(7, true)), 7));
    assertTrue(noFlatten.getMessage().contains("add a flatten or global_avgpool layer first"));
  }
}
