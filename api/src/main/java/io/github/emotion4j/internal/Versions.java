package io.github.emotion4j.internal;

/** The library's own version, read from the jar manifest that Maven writes. */
public final class Versions {
  private Versions() {}

  /**
   * Returns emotion4j's version.
   *
   * @return the version, or {@code "dev"} when run from classes outside a jar
   */
  public static String emotion4j() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
