package io.github.emotion4j.zoo;

import io.github.emotion4j.Emotion4jException;
import java.util.Objects;
import java.util.Optional;

/**
 * The model zoo could not provide a model: a download failed (HTTP error, timeout, connection cut,
 * truncated or tampered file), a repository is misconfigured (plain {@code http://} not allowed, an
 * unreadable index), or a stored model does not match its sha256. The message names the model, the
 * URL or file, the reason and the fix; {@link #url()} and {@link #reason()} give the parts. When a
 * download fails the cache is left as it was.
 *
 * @since 0.1
 */
public class ZooException extends Emotion4jException {
  private static final long serialVersionUID = 1L;

  /** The URL or file the failure concerns, or null. */
  private final String url;
  /** The short reason, e.g. {@code "HTTP 404"}. */
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param message the whole message: model, URL, reason and fix
   * @param url the URL or file concerned, or null if none
   * @param reason the short reason, e.g. {@code "sha256 mismatch"}
   * @param cause the underlying error, or null
   */
  public ZooException(String message, String url, String reason, Throwable cause) {
    super(message, cause);
    this.url = url;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns the URL or file the failure concerns.
   *
   * @return the URL (or path), empty when the failure concerns no single location
   */
  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  /**
   * Returns the short reason, e.g. {@code "HTTP 404"}, {@code "sha256 mismatch"}, {@code
   * "timed out"}.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
