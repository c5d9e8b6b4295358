package io.github.emotion4j.backend.nativejvm;

import io.github.emotion4j.testing.BackendContractTest;

/** The shared backend suite (parity on real images for every preset, batching, threads, devices). */
class NativeBackendContractTest extends BackendContractTest {
  @Override
  protected String backendName() {
    return "native";
  }
}
