package io.github.emotion4j.benchmarks;

import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decode + preprocess of real images, from bytes in memory: one operation is one image. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreprocessingBenchmark {
  /** FER2013 48×48 grayscale JPEGs, or the other collection's larger crops. */
  @Param({"fer2013", "other"})
  public String images;

  private byte[][] encoded;
  private int next;
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
  private final ImagePreprocessor preprocessor = new ImagePreprocessor(InputContract.FER2013);
  private final float[] out = new float[InputContract.FER2013.imageSize()];

  /** Reads the files once. */
  @Setup
  public void setUp() {
    List<Path> files = images.equals("fer2013") ? TestData.fer2013Sample("test", 50) : TestData.otherFacesSample(150);
    encoded = new byte[files.size()][];
    try {
      for (int i = 0; i < files.size(); i++) {
        encoded[i] = Files.readAllBytes(files.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes and preprocesses one image.
   *
   * @return the first value, so the work is not optimised away
   */
  @Benchmark
  public float decodeAndPreprocess() {
    byte[] bytes = encoded[next++ % encoded.length];
    preprocessor.preprocess(decoder.decode(bytes, "bench"), null, out, 0);
    return out[0];
  }
}
