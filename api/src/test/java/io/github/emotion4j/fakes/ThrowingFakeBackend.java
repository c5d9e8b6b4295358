package io.github.emotion4j.fakes;

/** A test backend whose constructor throws, as one with missing natives might. */
public class ThrowingFakeBackend extends FakeBackend {
  /** Always throws. */
  public ThrowingFakeBackend() {
    throw new IllegalStateException("could not load libthrowing.so");
  }
}
