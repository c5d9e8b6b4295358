package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.testing.BackendContractTest;
import io.github.emotion4j.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared backend suite on TensorFlow: parity with the reference, threads, batches, GPU error.
 * The default run checks parity on one FER2013 image per label plus two other faces (the double
 * precision reference is slow on AlexNet); {@code -Demotion4j.parity.full=true} uses the shared
 * suite's full sample.
 */
class TensorFlowBackendContractTest extends BackendContractTest {
  @Override
  protected String backendName() {
    return "tensorflow";
  }

  @Override
  protected List<Path> parityImages() {
    if (Boolean.getBoolean("emotion4j.parity.full")) {
      return super.parityImages();
    }
    List<Path> images = new ArrayList<>(TestData.fer2013Sample("test", 1));
    images.addAll(TestData.otherFacesSample(2));
    return images;
  }
}
