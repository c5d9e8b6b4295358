package io.github.emotion4j.zoo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The model zoo's settings. {@link #fromEnvironment()} reads them from system properties, then
 * environment variables, then defaults; {@link ModelZoo.Builder} overrides any of them.
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><th>system property</th><th>environment variable</th><th>default</th></tr>
 *   <tr><td>{@code emotion4j.zoo.url}</td><td>{@code EMOTION4J_ZOO_URL}</td><td>none</td></tr>
 *   <tr><td>{@code emotion4j.zoo.dir}</td><td>{@code EMOTION4J_ZOO_DIR}</td><td>none</td></tr>
 *   <tr><td>{@code emotion4j.cache.dir}</td><td>{@code EMOTION4J_CACHE_DIR}</td>
 *       <td>{@code ~/.cache/emotion4j/models}</td></tr>
 *   <tr><td>{@code emotion4j.offline} (unset: follows {@code ai.djl.offline})</td>
 *       <td>{@code EMOTION4J_OFFLINE}</td><td>false</td></tr>
 *   <tr><td>{@code emotion4j.zoo.allowHttp}</td><td>{@code EMOTION4J_ZOO_ALLOW_HTTP}</td>
 *       <td>false</td></tr>
 *   <tr><td>{@code emotion4j.zoo.connectTimeout}</td><td>{@code EMOTION4J_ZOO_CONNECT_TIMEOUT}</td>
 *       <td>10s</td></tr>
 *   <tr><td>{@code emotion4j.zoo.readTimeout}</td><td>{@code EMOTION4J_ZOO_READ_TIMEOUT}</td>
 *       <td>30s</td></tr>
 *   <tr><td>{@code emotion4j.zoo.attempts}</td><td>{@code EMOTION4J_ZOO_ATTEMPTS}</td><td>3</td></tr>
 * </table>
 *
 * <p>Durations are written {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S}).
 *
 * @param url the HTTP(S) mirror's base URL, serving {@code index.json} and the package zips; or
 *     null for none
 * @param localDirectory a directory of package zips (with or without an {@code index.json}); or
 *     null for none
 * @param cacheDirectory where downloads are kept
 * @param offline true to never use the network
 * @param allowHttp true to accept a plain {@code http://} URL
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for a response, and the longest pause while receiving one
 * @param attempts how many times a download is tried before giving up (at least 1)
 * @param retryBackoff the pause before the second attempt; doubled before each further one
 * @since 0.1
 */
public record ZooConfig(
    URI url,
    Path localDirectory,
    Path cacheDirectory,
    boolean offline,
    boolean allowHttp,
    Duration connectTimeout,
    Duration readTimeout,
    int attempts,
    Duration retryBackoff) {

  /** System property: the mirror's base URL. */
  public static final String URL_PROPERTY = "emotion4j.zoo.url";
  /** System property: a local directory of models. */
  public static final String DIR_PROPERTY = "emotion4j.zoo.dir";
  /** System property: the download cache. */
  public static final String CACHE_PROPERTY = "emotion4j.cache.dir";
  /** System property: {@code true} for offline mode. */
  public static final String OFFLINE_PROPERTY = "emotion4j.offline";
  /** DJL's offline switch, honoured too. */
  public static final String DJL_OFFLINE_PROPERTY = "ai.djl.offline";
  /** System property: {@code true} to accept plain {@code http://}. */
  public static final String ALLOW_HTTP_PROPERTY = "emotion4j.zoo.allowHttp";
  /** System property: the connect timeout. */
  public static final String CONNECT_TIMEOUT_PROPERTY = "emotion4j.zoo.connectTimeout";
  /** System property: the read timeout. */
  public static final String READ_TIMEOUT_PROPERTY = "emotion4j.zoo.readTimeout";
  /** System property: attempts per download. */
  public static final String ATTEMPTS_PROPERTY = "emotion4j.zoo.attempts";

  /** Validates the values. */
  public ZooConfig {
    Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()
        || readTimeout.isNegative() || readTimeout.isZero() || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("timeouts must be positive and the backoff not negative,"
          + " got connect " + connectTimeout + ", read " + readTimeout + ", backoff " + retryBackoff);
    }
    if (url != null) {
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new IllegalArgumentException("the model zoo URL must be https:// (or http:// where"
            + " allowed), got \"" + url + "\"");
      }
      if (!url.getPath().endsWith("/")) {
        url = URI.create(url + "/");
      }
    }
  }

  /**
   * Reads the settings from system properties, then environment variables, then defaults.
   *
   * @return the settings
   * @throws IllegalArgumentException if a value cannot be parsed; the message names the key
   */
  public static ZooConfig fromEnvironment() {
    return fromEnvironment(System::getProperty, System::getenv);
  }

  /** Reads the settings from the given property and environment lookups (for tests). */
  static ZooConfig fromEnvironment(UnaryOperator<String> properties, UnaryOperator<String> env) {
    String url = value(properties, env, URL_PROPERTY);
    String dir = value(properties, env, DIR_PROPERTY);
    String cache = value(properties, env, CACHE_PROPERTY);
    // emotion4j's own switch wins when set, so a host can keep DJL offline (no engine downloads)
    // and still use its model mirror; unset, it follows DJL's
    String own = value(properties, env, OFFLINE_PROPERTY);
    boolean offline = own != null && !own.isBlank()
        ? bool(own, OFFLINE_PROPERTY)
        : bool(properties.apply(DJL_OFFLINE_PROPERTY), DJL_OFFLINE_PROPERTY);
    return new ZooConfig(
        url == null || url.isBlank() ? null : parseUri(url.trim(), URL_PROPERTY),
        dir == null || dir.isBlank() ? null : Path.of(dir.trim()),
        cache == null || cache.isBlank() ? defaultCacheDirectory() : Path.of(cache.trim()),
        offline,
        bool(value(properties, env, ALLOW_HTTP_PROPERTY), ALLOW_HTTP_PROPERTY),
        duration(value(properties, env, CONNECT_TIMEOUT_PROPERTY), CONNECT_TIMEOUT_PROPERTY,
            Duration.ofSeconds(10)),
        duration(value(properties, env, READ_TIMEOUT_PROPERTY), READ_TIMEOUT_PROPERTY,
            Duration.ofSeconds(30)),
        integer(value(properties, env, ATTEMPTS_PROPERTY), ATTEMPTS_PROPERTY, 3),
        Duration.ofMillis(500));
  }

  /**
   * Returns the default cache directory, {@code ~/.cache/emotion4j/models}.
   *
   * @return the path (not created)
   */
  public static Path defaultCacheDirectory() {
    return Path.of(System.getProperty("user.home"), ".cache", "emotion4j", "models");
  }

  /** Maps {@code emotion4j.zoo.allowHttp} to {@code EMOTION4J_ZOO_ALLOW_HTTP}. */
  static String envName(String property) {
    return property.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
  }

  private static String value(UnaryOperator<String> props, UnaryOperator<String> env, String key) {
    String v = props.apply(key);
    return v != null ? v : env.apply(envName(key));
  }

  private static URI parseUri(String v, String key) {
    try {
      return URI.create(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " / " + envName(key) + " is not a URL: \"" + v
          + "\" (" + e.getMessage() + ")", e);
    }
  }

  private static boolean bool(String v, String key) {
    if (v == null || v.isBlank()) {
      return false;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return t.equals("true");
    }
    throw new IllegalArgumentException(key + " / " + envName(key) + " must be true or false, got \""
        + v + "\"");
  }

  private static int integer(String v, String key, int dflt) {
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " / " + envName(key) + " must be a whole number, got \""
          + v + "\"", e);
    }
  }

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 2m}, a bare number of milliseconds, or ISO-8601.
   */
  static Duration duration(String v, String key, Duration dflt) {
    if (v == null || v.isBlank()) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("pt")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      return Duration.ofMillis(Long.parseLong(t));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + " / " + envName(key) + " must be a duration such as"
          + " 500ms, 10s, 2m or PT10S, got \"" + v + "\"", e);
    }
  }
}
