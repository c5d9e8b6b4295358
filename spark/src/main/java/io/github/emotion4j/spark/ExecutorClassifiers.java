package io.github.emotion4j.spark;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.face.FaceEmotionAnalyzer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One classifier per executor JVM and {@link ClassifierSpec#key()} (and, when faces are asked for,
 * one face analyzer around it), created on first use by whichever task thread gets there first,
 * shared by all task threads (both are thread safe), and closed by a JVM shutdown hook when the
 * executor exits.
 */
final class ExecutorClassifiers {
  private static final Logger log = LoggerFactory.getLogger(ExecutorClassifiers.class);

  private static final Map<String, EmotionClassifier> CLASSIFIERS = new ConcurrentHashMap<>();
  private static final Map<String, FaceEmotionAnalyzer> ANALYZERS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final Object HOOK_LOCK = new Object();
  private static boolean hookInstalled;

  private ExecutorClassifiers() {}

  /** Returns this JVM's classifier for the spec, building it on first use. */
  static EmotionClassifier get(ClassifierSpec spec) {
    EmotionClassifier c = CLASSIFIERS.get(spec.key());
    if (c != null) {
      return c;
    }
    return CLASSIFIERS.computeIfAbsent(spec.key(), k -> {
      installHook();
      EmotionClassifier built = spec.build();
      int n = LOADS.incrementAndGet();
      log.info("emotion4j classifier {} loaded in this JVM (load #{}): backend {}, device {}",
          spec.modelKey(), n, built.backend(), built.device());
      return built;
    });
  }

  /** Returns this JVM's face analyzer around the spec's classifier, loading the detector once. */
  static FaceEmotionAnalyzer analyzer(ClassifierSpec spec) {
    EmotionClassifier classifier = get(spec);
    return ANALYZERS.computeIfAbsent(spec.key(), k -> {
      FaceEmotionAnalyzer built = FaceEmotionAnalyzer.builder(classifier).build();
      log.info("emotion4j face detector {} loaded in this JVM", built.detector().name());
      return built;
    });
  }

  /** Returns how many classifiers this JVM has built since it started (for tests and logs). */
  static int loads() {
    return LOADS.get();
  }

  private static void installHook() {
    synchronized (HOOK_LOCK) {
      if (!hookInstalled) {
        Runtime.getRuntime().addShutdownHook(
            new Thread(ExecutorClassifiers::closeAll, "emotion4j-spark-close"));
        hookInstalled = true;
      }
    }
  }

  private static void closeAll() {
    closeEach(ANALYZERS, "face detector"); // analyzers first: they use the classifiers
    closeEach(CLASSIFIERS, "classifier");
  }

  private static void closeEach(Map<String, ? extends AutoCloseable> open, String what) {
    for (AutoCloseable c : open.values()) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("Closing an emotion4j {} failed: {}", what, e.toString());
      }
    }
    open.clear();
  }
}
