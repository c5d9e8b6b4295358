package io.github.emotion4j.backend.pytorch;

import io.github.emotion4j.testing.BackendContractTest;

/** The shared backend suite on DJL's PyTorch engine. */
class PyTorchBackendTest extends BackendContractTest {
  @Override
  protected String backendName() {
    return "pytorch";
  }
}
