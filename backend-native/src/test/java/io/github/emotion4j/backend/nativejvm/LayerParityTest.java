package io.github.emotion4j.backend.nativejvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.Device;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.LayerSpec.AvgPool;
import io.github.emotion4j.model.LayerSpec.BatchNorm;
import io.github.emotion4j.model.LayerSpec.Conv2d;
import io.github.emotion4j.model.LayerSpec.Dense;
import io.github.emotion4j.model.LayerSpec.Dropout;
import io.github.emotion4j.model.LayerSpec.Flatten;
import io.github.emotion4j.model.LayerSpec.GlobalAvgPool;
import io.github.emotion4j.model.LayerSpec.LeakyRelu;
import io.github.emotion4j.model.LayerSpec.MaxPool;
import io.github.emotion4j.model.LayerSpec.Relu;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layer-by-layer checks against the naive double-precision reference, on tiny random networks with
 * odd sizes, strides, paddings and channel counts that are not multiples of the kernels' block, for
 * both kernel paths and for batches below, at and above the kernels' tile sizes.
 */
class LayerParityTest {
  private static final double TOLERANCE = 1e-4;

  /** A named tiny network: input shape, label count and layers. */
  record Case(String name, int channels, int h, int w, int labels, LayerSpec... layers) {
    ModelPackage model(long seed) {
      return Nets.model(channels, h, w, labels, seed, layers);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("conv3 pad1 + folded bn + relu on 7x9", 1, 7, 9, 3,
            new Conv2d(5, 3, 1, 1, false), new BatchNorm(1e-5), new Relu(), new Flatten(),
            new Dense(3, true)),
        new Case("rgb conv3 stride2 + leaky, conv5 pad2, global pool", 3, 11, 13, 4,
            new Conv2d(17, 3, 2, 1, true), new LeakyRelu(0.1), new Conv2d(33, 5, 1, 2, true),
            new Relu(), new GlobalAvgPool(), new Dense(4, true)),
        new Case("conv4 stride3 no padding, dense without bias", 3, 10, 14, 5,
            new Conv2d(8, 4, 3, 0, true), new Flatten(), new Dense(5, false)),
        new Case("even kernel with padding, 1x1 conv + bn", 1, 6, 5, 2,
            new Conv2d(4, 2, 1, 1, true), new Conv2d(16, 1, 1, 0, false), new BatchNorm(1e-3),
            new Flatten(), new Dense(2, true)),
        new Case("padded max and avg pools (avg counts padding)", 3, 9, 11, 3,
            new Conv2d(6, 3, 1, 1, true), new MaxPool(3, 2, 1), new AvgPool(3, 2, 1),
            new Flatten(), new Dense(3, true)),
        new Case("avgpool on odd map, standalone bn + leaky, overlapping maxpool", 1, 9, 7, 3,
            new Conv2d(7, 3, 1, 0, true), new Relu(), new AvgPool(2, 2, 0), new BatchNorm(1e-5),
            new LeakyRelu(0.2), new MaxPool(2, 1, 0), new Flatten(), new Dense(3, true)),
        new Case("map smaller than one pixel tile", 1, 3, 4, 2,
            new Conv2d(40, 3, 1, 0, true), new Relu(), new Flatten(), new Dense(2, true)),
        new Case("dense stack with dropout, folded and standalone bn", 1, 4, 5, 3,
            new Flatten(), new Dense(37, true), new Dropout(0.5), new BatchNorm(1e-5), new Relu(),
            new Dense(19, false), new LeakyRelu(0.01), new BatchNorm(1e-3), new Dense(3, true)),
        new Case("bn folded across dropout", 1, 8, 8, 2,
            new Conv2d(9, 3, 1, 1, false), new Dropout(0.3), new BatchNorm(1e-5), new Relu(),
            new Flatten(), new Dense(2, true)),
        new Case("relu after pool, flatten twice, relu on vector", 3, 8, 8, 5,
            new Conv2d(3, 3, 1, 1, true), new MaxPool(2, 2, 0), new Relu(), new Flatten(),
            new Flatten(), new Relu(), new Dense(5, true)),
        new Case("pool on the raw 3-channel input", 3, 7, 7, 2,
            new AvgPool(3, 2, 1), new Conv2d(5, 3, 1, 1, true), new MaxPool(2, 2, 1), new Flatten(),
            new Dense(2, true)),
        new Case("winograd: 3x3 convs on 20 and 24 channels, even map, last group overlapping", 1,
            8, 10, 3,
            new Conv2d(20, 3, 1, 1, true), new Relu(), new Conv2d(24, 3, 1, 1, false),
            new BatchNorm(1e-5), new LeakyRelu(0.1), new Conv2d(17, 3, 1, 1, true), new Flatten(),
            new Dense(3, true)),
        new Case("winograd: one group of six tiles, no padding; odd map stays direct", 3, 8, 6, 4,
            new Conv2d(16, 3, 1, 1, true), new Relu(), new Conv2d(9, 3, 1, 0, true), new Relu(),
            new Conv2d(5, 3, 1, 0, true), new Flatten(), new Dense(4, true)),
        new Case("larger net split across threads", 1, 20, 18, 7,
            new Conv2d(32, 3, 1, 1, false), new BatchNorm(1e-5), new Relu(),
            new Conv2d(48, 3, 2, 1, true), new Relu(), new MaxPool(2, 2, 0), new Flatten(),
            new Dense(40, true), new Relu(), new Dense(7, true)));
  }

  static Stream<Arguments> casesAndKernels() {
    List<Arguments> args = new ArrayList<>();
    for (Case c : cases()) {
      for (NativeBackend.KernelChoice k :
          List.of(NativeBackend.KernelChoice.PLAIN, NativeBackend.KernelChoice.VECTOR,
              NativeBackend.KernelChoice.VECTOR_DIRECT)) {
        args.add(Arguments.of(c, k));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("casesAndKernels")
  void matchesTheReference(Case c, NativeBackend.KernelChoice kernels) {
    ModelPackage model = c.model(17);
    for (int n : new int[] {1, 3, 8}) {
      float[] data = Nets.images(model, n, 5 + n);
      float[] logits = Nets.run(model, kernels, data, n);
      Nets.assertMatchesReference(model, data, logits, n, TOLERANCE, c + " batch " + n);
    }
  }

  @Test
  void winogradRunsTheEvenThreeByThreeConvolutionsOnly() {
    Case c = cases().stream().filter(k -> k.name().startsWith("winograd: one group")).findFirst()
        .orElseThrow();
    try (NativeNetwork net = (NativeNetwork) new NativeBackend(NativeBackend.KernelChoice.VECTOR)
            .load(c.model(1), Device.CPU);
        NativeNetwork direct = (NativeNetwork) new NativeBackend(
            NativeBackend.KernelChoice.VECTOR_DIRECT).load(c.model(1), Device.CPU)) {
      MapOp[] maps = net.plan().maps;
      // 3-channel input: direct; 16 channels, 6x4 out: Winograd; 9 channels, 4x2 out (2 tiles): direct
      assertInstanceOf(MapOp.Conv.class, maps[0]);
      assertInstanceOf(MapOp.Winograd.class, maps[1]);
      assertInstanceOf(MapOp.Conv.class, maps[2]);
      for (MapOp op : direct.plan().maps) {
        assertInstanceOf(MapOp.Conv.class, op);
      }
    }
  }

  @Test
  void vectorKernelsAreReallyTested() {
    assertTrue(NativeBackend.vectorApiEnabled(), "surefire must pass --add-modules jdk.incubator.vector");
    assertInstanceOf(VectorKernels.class, NativeBackend.kernels(NativeBackend.KernelChoice.AUTO));
    assertInstanceOf(VectorKernels.class, NativeBackend.kernels(NativeBackend.KernelChoice.VECTOR));
    assertInstanceOf(PlainKernels.class, NativeBackend.kernels(NativeBackend.KernelChoice.PLAIN));
  }

  @Test
  void systemPropertyForcesThePlainKernels() {
    String old = System.getProperty(NativeBackend.VECTOR_PROPERTY);
    System.setProperty(NativeBackend.VECTOR_PROPERTY, "false");
    try {
      assertInstanceOf(PlainKernels.class, NativeBackend.kernels(NativeBackend.KernelChoice.AUTO));
    } finally {
      if (old == null) {
        System.clearProperty(NativeBackend.VECTOR_PROPERTY);
      } else {
        System.setProperty(NativeBackend.VECTOR_PROPERTY, old);
      }
    }
  }

  @Test
  void batchNormIsFoldedAndDropoutDropped() {
    Case c = cases().get(8);
    try (NativeNetwork net = (NativeNetwork) new NativeBackend().load(c.model(1), Device.CPU)) {
      Plan plan = net.plan();
      assertEquals(1, plan.maps.length, plan.toString());
      assertInstanceOf(MapOp.Conv.class, plan.maps[0]);
      assertEquals(Activation.RELU, ((MapOp.Conv) plan.maps[0]).activation.kind());
      assertEquals(1, plan.vecs.length, plan.toString());
    }
  }

  @Test
  void gpuIsRefusedWithTheDevicesPresent() {
    ModelPackage model = cases().get(0).model(1);
    DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
        () -> new NativeBackend().load(model, Device.GPU));
    assertTrue(e.getMessage().contains("Devices present: [CPU]"), e.getMessage());
  }

  @Test
  void wrongInputShapeAndUseAfterCloseAreClearErrors() {
    ModelPackage model = cases().get(0).model(1);
    RunnableNetwork net = new NativeBackend().load(model, Device.CPU);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.logits(new InputBatch(new float[7 * 8], 1, FeatureShape.map(1, 7, 8))));
    assertTrue(e.getMessage().contains("[1x7x9]"), e.getMessage());
    net.close();
    float[] data = Nets.images(model, 1, 1);
    IllegalStateException closed = assertThrows(IllegalStateException.class,
        () -> net.logits(new InputBatch(data, 1, model.input().shape())));
    assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
  }
}
