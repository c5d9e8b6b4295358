package io.github.emotion4j.backend.onnxruntime;

import io.github.emotion4j.testing.BackendContractTest;

/** The shared backend suite on ONNX Runtime: parity on real images, threads, devices. */
class OnnxRuntimeBackendContractTest extends BackendContractTest {
  @Override
  protected String backendName() {
    return "onnxruntime";
  }
}
