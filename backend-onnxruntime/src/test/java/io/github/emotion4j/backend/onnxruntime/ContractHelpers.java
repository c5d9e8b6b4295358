package io.github.emotion4j.backend.onnxruntime;

import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.testing.BackendContractTest;
import java.nio.file.Path;
import java.util.List;

/** Opens the shared suite's protected helpers to this module's other tests; runs no tests itself. */
abstract class ContractHelpers extends BackendContractTest {
  private ContractHelpers() {}

  /** Preprocesses files as the classifier does. */
  static float[] preprocessed(ModelPackage model, List<Path> files) {
    return BackendContractTest.preprocess(model, files);
  }

  /** Asserts logits match the reference network within the suite's tolerance, top-1 included. */
  static void assertMatches(ModelPackage model, float[] data, float[] logits, int n) {
    BackendContractTest.assertMatchesReference(model, data, logits, n);
  }
}
