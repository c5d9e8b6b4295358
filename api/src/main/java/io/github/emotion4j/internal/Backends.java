package io.github.emotion4j.internal;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader}, each in its own try so that one broken backend does not
 * hide the others, and explains every choice and failure.
 */
public final class Backends {
  /** System property naming the backend when the builder names none. */
  public static final String BACKEND_PROPERTY = "emotion4j.backend";
  /** Environment variable naming the backend when neither builder nor property does. */
  public static final String BACKEND_ENV = "EMOTION4J_BACKEND";
  /** The word that asks for the best available backend. */
  public static final String AUTO = "auto";

  static final String DOCS = "docs/errors.md";
  private static final Map<String, String> KNOWN_ARTIFACTS = new LinkedHashMap<>();

  static {
    KNOWN_ARTIFACTS.put("native", "io.github.emotion4j:emotion4j-backend-native");
    KNOWN_ARTIFACTS.put("onnxruntime", "io.github.emotion4j:emotion4j-backend-onnxruntime");
    KNOWN_ARTIFACTS.put("pytorch", "io.github.emotion4j:emotion4j-backend-pytorch");
    KNOWN_ARTIFACTS.put("tensorflow", "io.github.emotion4j:emotion4j-backend-tensorflow");
  }

  private static final Logger log = LoggerFactory.getLogger(Backends.class);
  private static final Pattern PROVIDER_CLASS = Pattern.compile("Provider (\\S+) ");

  /** A backend found on the class path, usable or not. */
  public record Candidate(String name, EmotionBackend backend, BackendAvailability availability) {}

  private final List<Candidate> candidates;
  private final Map<String, String> broken;

  private Backends(List<Candidate> candidates, Map<String, String> broken) {
    this.candidates = candidates;
    this.broken = broken;
  }

  /**
   * Scans the class path of the api's class loader.
   *
   * @return what was found
   */
  public static Backends discover() {
    return discover(ServiceLoader.load(EmotionBackend.class, Backends.class.getClassLoader()));
  }

  static Backends discover(Iterable<EmotionBackend> loader) {
    List<Candidate> found = new ArrayList<>();
    Map<String, String> broken = new LinkedHashMap<>();
    Iterator<EmotionBackend> it = loader.iterator();
    while (true) {
      EmotionBackend backend;
      try {
        if (!it.hasNext()) {
          break;
        }
        backend = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        // ServiceLoader's message names the provider class; the cause says why it failed (a missing
        // native library, a constructor that threw), which is what the host needs to see.
        Matcher provider = PROVIDER_CLASS.matcher(String.valueOf(e.getMessage()));
        String name = provider.find() ? provider.group(1) : "(unnamed provider " + (broken.size() + 1) + ")";
        Throwable why = e.getCause() != null ? e.getCause() : e;
        String reason = why.getClass().getSimpleName() + ": " + why.getMessage();
        log.debug("Skipping backend {}, which could not be instantiated: {}", name, reason, e);
        broken.put(name, reason);
        continue;
      }
      String name;
      try {
        name = backend.name().toLowerCase(Locale.ROOT);
        BackendAvailability availability;
        if (backend.spiVersion() != EmotionBackend.SPI_VERSION) {
          availability = BackendAvailability.no(
              "it implements SPI version " + backend.spiVersion() + " but this emotion4j-api has "
                  + EmotionBackend.SPI_VERSION + "; use matching emotion4j versions");
        } else {
          availability = backend.availability();
        }
        log.debug("Found backend {} (rank {}): {}", name, backend.rank(),
            availability.available() ? "available" : availability.reason());
        found.add(new Candidate(name, backend, availability));
      } catch (RuntimeException | LinkageError e) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.debug("Skipping backend {}: {}", backend.getClass().getName(), reason);
        broken.put(backend.getClass().getName(), reason);
      }
    }
    found.sort(Comparator.comparingInt((Candidate c) -> c.backend().rank()).thenComparing(Candidate::name));
    return new Backends(List.copyOf(found), broken);
  }

  /**
   * Returns every backend found, available or not, best rank first.
   *
   * @return the candidates
   */
  public List<Candidate> candidates() {
    return candidates;
  }

  /**
   * Returns the backend the host asked for: the builder's name, else the {@value #BACKEND_PROPERTY}
   * property, else the {@value #BACKEND_ENV} variable, else the best-ranked available one.
   *
   * @param requested the builder's name, or null
   * @return the backend
   * @throws BackendUnavailableException naming what exists when the choice cannot be met
   */
  public EmotionBackend select(String requested) {
    String name = requested;
    String origin = "the builder";
    if (name == null || name.isBlank()) {
      name = System.getProperty(BACKEND_PROPERTY);
      origin = "system property " + BACKEND_PROPERTY;
    }
    if (name == null || name.isBlank()) {
      name = System.getenv(BACKEND_ENV);
      origin = "environment variable " + BACKEND_ENV;
    }
    if (name == null || name.isBlank()) {
      name = AUTO;
      origin = "default";
    }
    name = name.trim().toLowerCase(Locale.ROOT);
    log.debug("Backend requested: {} (from {})", name, origin);
    if (name.equals(AUTO)) {
      return available().stream().findFirst().map(Candidate::backend).orElseThrow(this::noneAvailable);
    }
    String wanted = name;
    Optional<Candidate> match = candidates.stream().filter(c -> c.name().equals(wanted)).findFirst();
    if (match.isPresent() && match.get().availability().available()) {
      return match.get().backend();
    }
    String suggestion = match.isEmpty() && !KNOWN_ARTIFACTS.containsKey(name) ? didYouMean(name) : "";
    throw new BackendUnavailableException(
        "No emotion4j backend named \"" + name + "\" can run here (asked by " + origin + "). "
            + suggestion
            + describe()
            + (match.isEmpty() && suggestion.isEmpty()
                ? " Add " + KNOWN_ARTIFACTS.getOrDefault(name, "a backend named \"" + name + "\"") + "." : "")
            + " See " + DOCS + "#backend-not-found");
  }

  /** "Did you mean "x"? " for the nearest known or found name within two edits, else "". */
  private String didYouMean(String name) {
    List<String> names = new ArrayList<>(KNOWN_ARTIFACTS.keySet());
    candidates.forEach(c -> names.add(c.name()));
    names.add(AUTO);
    return names.stream().distinct().filter(n -> !n.equals(name) && editDistance(n, name) <= 2)
        .min(Comparator.comparingInt((String n) -> editDistance(n, name)))
        .map(n -> "Did you mean \"" + n + "\"? ").orElse("");
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * Returns the available backends, best rank first.
   *
   * @return the usable candidates
   */
  public List<Candidate> available() {
    return candidates.stream().filter(c -> c.availability().available()).toList();
  }

  /**
   * Describes what was found: "Available: a, b. Could not load: c (reason)."
   *
   * @return the description
   */
  public String describe() {
    String available = available().stream().map(Candidate::name).collect(Collectors.joining(", "));
    List<String> failed = new ArrayList<>();
    candidates.stream().filter(c -> !c.availability().available())
        .forEach(c -> failed.add(c.name() + " (" + c.availability().reason() + ")"));
    broken.forEach((k, v) -> failed.add(k + " (" + v + ")"));
    return "Available: " + (available.isEmpty() ? "none" : available) + "."
        + (failed.isEmpty() ? "" : " Could not load: " + String.join("; ", failed) + ".");
  }

  private BackendUnavailableException noneAvailable() {
    return new BackendUnavailableException(
        "No emotion4j backend is available. " + describe() + " Add one of "
            + String.join(", ", KNOWN_ARTIFACTS.values())
            + " (emotion4j-backend-native needs no native code). See " + DOCS + "#no-backend");
  }
}
