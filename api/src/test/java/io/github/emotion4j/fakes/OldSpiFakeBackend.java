package io.github.emotion4j.fakes;

/** A test backend built against another SPI major version, so it is not used. */
public class OldSpiFakeBackend extends FakeBackend {
  @Override
  public String name() {
    return "old-spi";
  }

  @Override
  public int rank() {
    return 2;
  }

  @Override
  public int spiVersion() {
    return 0;
  }
}
