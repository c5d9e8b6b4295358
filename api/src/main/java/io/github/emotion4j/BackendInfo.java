package io.github.emotion4j;

import io.github.emotion4j.internal.Backends;
import io.github.emotion4j.internal.Versions;
import io.github.emotion4j.spi.EmotionBackend;
import java.util.List;
import java.util.Set;

/**
 * A backend found on the class path, usable here or not: what {@code emotion4j backends} lists.
 * Listing loads no native code; only {@link #devices()} may start an engine.
 *
 * <pre>{@code
 * for (BackendInfo b : BackendInfo.list()) {
 *   System.out.println(b.name() + " " + b.version() + " " + (b.available() ? "available" : b.reason()));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class BackendInfo {
  private final EmotionBackend backend;
  private final String name;
  private final boolean available;
  private final String reason;

  private BackendInfo(Backends.Candidate candidate) {
    this.backend = candidate.backend();
    this.name = candidate.name();
    this.available = candidate.availability().available();
    this.reason = candidate.availability().reason();
  }

  /**
   * Lists the backends found on the class path, available or not, in AUTO's order (best rank
   * first). Providers that could not even be instantiated are not listed; the error a classifier
   * build throws names them with their reason.
   *
   * @return the backends, possibly empty
   */
  public static List<BackendInfo> list() {
    return Backends.discover().candidates().stream().map(BackendInfo::new).toList();
  }

  /**
   * Returns the name hosts select the backend by ({@link EmotionClassifierBuilder#backend(String)}).
   *
   * @return the lower-case name, e.g. {@code "native"}
   */
  public String name() {
    return name;
  }

  /**
   * Returns where the backend stands in AUTO's order: lower is preferred.
   *
   * @return the rank
   */
  public int rank() {
    return backend.rank();
  }

  /**
   * Returns the version of the backend's jar, from its manifest.
   *
   * @return the version, or {@code "dev"} when the backend runs from classes outside a jar
   */
  public String version() {
    return Versions.of(backend.getClass());
  }

  /**
   * Tells whether the backend can run here.
   *
   * @return true if a classifier can be built on it
   */
  public boolean available() {
    return available;
  }

  /**
   * Tells why the backend cannot run here, and what to add or change.
   *
   * @return the reason, empty when {@link #available()}
   */
  public String reason() {
    return reason;
  }

  /**
   * Returns the concrete devices the backend can use on this machine. This may start the engine
   * (seconds, and native log lines for some engines).
   *
   * @return CPU and/or GPU, never {@link Device#AUTO}; empty when the backend is not available
   * @throws RuntimeException if the engine fails to start (the backend says why)
   */
  public Set<Device> devices() {
    return available ? Set.copyOf(backend.devices()) : Set.of();
  }

  @Override
  public String toString() {
    return name + " " + version() + " (rank " + rank() + ", " + (available ? "available" : reason) + ")";
  }
}
