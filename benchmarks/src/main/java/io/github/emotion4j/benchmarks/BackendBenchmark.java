package io.github.emotion4j.benchmarks;

import io.github.emotion4j.Device;
import io.github.emotion4j.internal.Backends;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.NetworkPreset;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import io.github.emotion4j.testing.TestData;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One batch through a backend's network, for every backend × preset × batch size. The score is
 * milliseconds per batch (median in the JSON's percentiles); images/s = batch / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "--add-modules=jdk.incubator.vector",
    "-Dai.djl.pytorch.graph_optimizer=false", "-Xmx4g"})
public class BackendBenchmark {
  /** The backend under test. */
  @Param({"native", "onnxruntime", "pytorch", "tensorflow"})
  public String backend;

  /** The network. */
  @Param({"vgg-bn", "lenet", "alexnet"})
  public String preset;

  /** Images per call. */
  @Param({"1", "64"})
  public int batch;

  private RunnableNetwork network;
  private InputBatch input;

  /** Loads the network with seeded weights and a random batch. */
  @Setup(Level.Trial)
  public void setUp() {
    ModelPackage model = TestData.randomPreset(NetworkPreset.parse(preset), 42);
    network = Backends.discover().select(backend).load(model, Device.CPU);
    float[] data = new float[batch * model.input().imageSize()];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextDouble(-1, 1);
    }
    input = new InputBatch(data, batch, model.input().shape());
  }

  /** Releases the engine. */
  @TearDown(Level.Trial)
  public void tearDown() {
    network.close();
  }

  /**
   * Runs one batch.
   *
   * @return the logits, so the work is not optimised away
   */
  @Benchmark
  public float[] logits() {
    return network.logits(input);
  }
}
