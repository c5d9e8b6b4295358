package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.testing.BackendContractTest;

/** The shared backend suite on TensorFlow: parity with the reference, threads, batches, GPU error. */
class TensorFlowBackendContractTest extends BackendContractTest {
  @Override
  protected String backendName() {
    return "tensorflow";
  }
}
