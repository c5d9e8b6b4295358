package io.github.emotion4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.emotion4j.model.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightAverageTest {
  @Test
  void averageFollowsTheDecayWithAShortMemoryAtFirst() {
    WeightAverage average = new WeightAverage(0.99, Map.of("w", new Tensor(new int[] {2}, new float[] {0, 0})));
    average.update(Map.of("w", new Tensor(new int[] {2}, new float[] {1, 2})), 1);
    // step 1 uses decay (1 + 1) / (10 + 1) = 2/11, not 0.99
    float[] first = average.tensors().get("w").data();
    assertEquals(9 / 11.0, first[0], 1e-6);
    assertEquals(18 / 11.0, first[1], 1e-6);
    for (int step = 2; step < 2000; step++) {
      average.update(Map.of("w", new Tensor(new int[] {2}, new float[] {1, 2})), step);
    }
    assertEquals(1, average.tensors().get("w").data()[0], 1e-5);
  }
}
