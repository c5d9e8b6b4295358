package io.github.emotion4j.zoo;

import io.github.emotion4j.model.ModelPackage;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a second JVM by {@link ModelZooTest}: downloads a model from a mirror into a cache and
 * prints {@code OK <weights sha256>}.
 */
public final class ZooDownloadMain {
  private ZooDownloadMain() {}

  /**
   * Downloads.
   *
   * @param args mirror URL, cache directory, model spec
   */
  public static void main(String[] args) {
    ModelZoo zoo = ModelZoo.builder().url(args[0]).allowHttp(true).offline(false)
        .localDirectory(null).cacheDirectory(Path.of(args[1]))
        .readTimeout(Duration.ofSeconds(10)).attempts(1).build();
    ModelPackage pkg = zoo.load(args[2]);
    System.out.println("OK " + pkg.metadata().weightsSha256());
  }
}
