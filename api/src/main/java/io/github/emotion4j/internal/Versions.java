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
    return of(Versions.class);
  }

  /**
   * Returns the version of the jar a class comes from.
   *
   * @param type a class of emotion4j or of one of its backends
   * @return the jar manifest's version, or {@code "dev"} when the class is not in a jar
   */
  public static String of(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
