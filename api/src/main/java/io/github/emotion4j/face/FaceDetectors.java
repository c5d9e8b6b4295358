package io.github.emotion4j.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds face detectors with {@link ServiceLoader}, each in its own try so that a broken one does not
 * hide the others, and explains the choice or the failure.
 */
final class FaceDetectors {
  static final String DOCS = "docs/FACES.md#detector-not-found";
  static final String ARTIFACT = "io.github.emotion4j:emotion4j-faces-yunet";
  private static final Logger log = LoggerFactory.getLogger(FaceDetectors.class);

  private final List<FaceDetector> found;
  private final Map<String, String> broken;

  private FaceDetectors(List<FaceDetector> found, Map<String, String> broken) {
    this.found = found;
    this.broken = broken;
  }

  static FaceDetectors discover() {
    return discover(ServiceLoader.load(FaceDetector.class, FaceDetector.class.getClassLoader()));
  }

  static FaceDetectors discover(Iterable<FaceDetector> loader) {
    List<FaceDetector> found = new ArrayList<>();
    Map<String, String> broken = new LinkedHashMap<>();
    Iterator<FaceDetector> it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        FaceDetector detector = it.next();
        log.debug("Found face detector {} ({}), rank {}", detector.name(), detector.getClass().getName(),
            detector.rank());
        found.add(detector);
      } catch (ServiceConfigurationError | LinkageError e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        log.debug("Skipped a face detector that failed to load: {}", e.getMessage());
        broken.put(e.getMessage() == null ? "?" : e.getMessage(), reason);
      }
    }
    found.sort(Comparator.comparingInt(FaceDetector::rank).thenComparing(FaceDetector::name));
    return new FaceDetectors(found, broken);
  }

  /** Picks by name, or the best rank when {@code name} is null; closes the others. */
  FaceDetector choose(String name) {
    FaceDetector chosen = null;
    if (name == null) {
      chosen = found.isEmpty() ? null : found.get(0);
    } else {
      for (FaceDetector d : found) {
        if (d.name().equalsIgnoreCase(name.trim())) {
          chosen = d;
          break;
        }
      }
    }
    for (FaceDetector d : found) {
      if (d != chosen) {
        d.close();
      }
    }
    if (chosen == null) {
      throw new FaceDetectorUnavailableException(message(name));
    }
    log.debug("Using face detector {} ({})", chosen.name(), chosen.getClass().getName());
    return chosen;
  }

  String message(String name) {
    StringBuilder sb = new StringBuilder();
    if (found.isEmpty() && broken.isEmpty()) {
      sb.append(name == null ? "No emotion4j face detector was found."
          : "No emotion4j face detector named \"" + name.toLowerCase(Locale.ROOT) + "\" was found.");
      sb.append(" Add ").append(ARTIFACT).append(". See ").append(DOCS);
      return sb.toString();
    }
    sb.append(name == null ? "No emotion4j face detector could be loaded."
        : "No emotion4j face detector named \"" + name.toLowerCase(Locale.ROOT) + "\".");
    sb.append(" Available: ").append(found.isEmpty() ? "none"
        : found.stream().map(FaceDetector::name).collect(Collectors.joining(", "))).append('.');
    if (!broken.isEmpty()) {
      sb.append(" Could not load: ").append(broken.entrySet().stream()
          .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; "))).append('.');
    }
    sb.append(" Add ").append(ARTIFACT).append(". See ").append(DOCS);
    return sb.toString();
  }
}
