package io.github.emotion4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.testing.TestData;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on loopback: a master and two one-core workers as separate JVMs from
 * the Maven-resolved jars, the job driven from this JVM, results checked against the single-machine
 * classifier, one model load per executor JVM checked in the executors' logs. Slow (two executor
 * JVMs start and each loads the model): {@code mvn -pl spark test -Dgroups=slow
 * -Dsurefire.excludedGroups=none}.
 */
@Tag("slow")
class StandaloneClusterTest {

  private static final String OPENS = System.getProperty("spark.java17.opens", "");

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void twoWorkersClassifyLikeOneMachine(@TempDir Path dir) throws Exception {
    Path home = sparkHome(dir.resolve("spark-home"));
    int masterPort = freePort();
    String masterUrl = "spark://127.0.0.1:" + masterPort;
    List<Process> daemons = new ArrayList<>();
    try {
      daemons.add(daemon(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
          "--webui-port", String.valueOf(freePort())));
      for (int w = 1; w <= 2; w++) {
        Path work = Files.createDirectories(dir.resolve("work-" + w));
        daemons.add(daemon(home, dir.resolve("worker-" + w + ".log"),
            "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
            "--memory", "2g", "--work-dir", work.toString(),
            "--webui-port", String.valueOf(freePort()), masterUrl));
      }
      waitFor(dir.resolve("master.log"), "Registering worker", 2, 90);

      List<Path> sample = TestData.fer2013Sample("test", 6);
      Map<String, EmotionScores> expected = new HashMap<>();
      try (EmotionClassifier single = EmotionClassifier.builder().backend("native").build()) {
        for (Path p : sample) {
          expected.put(p.toUri().getPath(), single.classify(p));
        }
      }
      SparkSession spark = SparkSession.builder().master(masterUrl).appName("emotion4j-cluster")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .config("spark.cores.max", "2")
          .config("spark.executor.cores", "1")
          .config("spark.executor.memory", "1g")
          .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector " + OPENS)
          .getOrCreate();
      try {
        Dataset<Row> images = spark.read().format("binaryFile")
            .load(sample.stream().map(Path::toString).toArray(String[]::new)).repartition(4);
        LongAccumulator bad = EmotionSpark.badImageCounter(spark);
        List<Row> rows = EmotionSpark.classify(images,
                SparkEmotionOptions.defaults().withBackend("native").withBatchSize(8), bad)
            .drop("content").collectAsList();
        assertEquals(sample.size(), rows.size());
        assertEquals(0L, bad.value());
        for (Row row : rows) {
          EmotionScores want = expected.get(java.net.URI.create(row.getAs("path")).getPath());
          assertNull(row.getAs(EmotionSpark.ERROR), row.toString());
          for (int i = 0; i < want.labels().size(); i++) {
            assertEquals(want.probabilities().get(i),
                row.<Double>getAs(EmotionSpark.PROBABILITY_PREFIX + want.labels().get(i)), 1e-6);
          }
        }
      } finally {
        spark.stop();
      }
      // each executor JVM logged exactly one load
      List<Path> executorLogs;
      try (Stream<Path> s = Files.walk(dir)) {
        executorLogs = s.filter(p -> p.getFileName().toString().equals("stderr")
            && p.toString().contains("work-")).toList();
      }
      assertTrue(executorLogs.size() >= 1, "no executor logs under " + dir);
      int loads = 0;
      for (Path log : executorLogs) {
        long n = Files.readAllLines(log).stream().filter(l -> l.contains("loaded in this JVM")).count();
        assertTrue(n <= 1, n + " loads in one executor: " + log);
        loads += (int) n;
      }
      assertTrue(loads >= 1 && loads <= 2, loads + " loads in " + executorLogs);
    } finally {
      for (Process p : daemons) {
        p.destroy();
      }
      for (Process p : daemons) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** A SPARK_HOME as workers want it: an empty RELEASE file and jars/ with the class path. */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createFile(home.resolve("RELEASE"));
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : cp.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      if (name.endsWith(".jar") && !name.contains("slf4j-simple") && !name.contains("junit")
          && !name.contains("opentest4j") && !name.contains("apiguardian")) {
        Files.createSymbolicLink(jars.resolve(name), p.toAbsolutePath());
      } else if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
        jar(p, jars.resolve("emotion4j-spark-under-test.jar"));
      }
    }
    return home;
  }

  private static void jar(Path classes, Path target) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        try (var in = Files.newInputStream(f)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }

  private static Process daemon(Path home, Path log, String mainClass, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(List.of(OPENS.split(" ")));
    cmd.add("-cp");
    cmd.add(home.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    return pb.start();
  }

  private static void waitFor(Path log, String text, int times, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (Files.exists(log)
          && Files.readAllLines(log).stream().filter(l -> l.contains(text)).count() >= times) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("\"" + text + "\" not seen " + times + " times in " + seconds + " s in "
        + log + ":\n" + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
