package io.github.emotion4j.fakes;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.BackendAvailability;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A working test backend, "fake", rank 5, CPU only. Its network ignores the weights: the logit of
 * label {@code j} is {@code j * m}, where {@code m} is the mean of the image's preprocessed values,
 * so a bright image scores the last label highest and a dark one the first.
 */
public class FakeBackend implements EmotionBackend {
  /** Networks loaded and not yet closed, across all instances. */
  public static final AtomicInteger OPEN = new AtomicInteger();
  /** Calls to a network's close(), across all instances. */
  public static final AtomicInteger CLOSE_CALLS = new AtomicInteger();
  /** The engine options of the last load, across all instances. */
  public static volatile EngineOptions lastOptions;

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public int rank() {
    return 5;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public BackendAvailability availability() {
    return BackendAvailability.yes();
  }

  @Override
  public Set<Device> devices() {
    return Set.of(Device.CPU);
  }

  @Override
  public RunnableNetwork load(ModelPackage model, Device device, EngineOptions options) {
    lastOptions = options;
    return load(model, device);
  }

  @Override
  public RunnableNetwork load(ModelPackage model, Device device) {
    if (!devices().contains(device)) {
      throw new BackendUnavailableException("fake cannot run on " + device);
    }
    int labels = model.labels().size();
    OPEN.incrementAndGet();
    return new RunnableNetwork() {
      private volatile boolean closed;

      @Override
      public Device device() {
        return device;
      }

      @Override
      public float[] logits(InputBatch batch) {
        if (closed) {
          throw new IllegalStateException("closed");
        }
        int size = (int) batch.imageShape().size();
        float[] out = new float[batch.size() * labels];
        for (int i = 0; i < batch.size(); i++) {
          double sum = 0;
          for (int k = 0; k < size; k++) {
            sum += batch.data()[i * size + k];
          }
          for (int j = 0; j < labels; j++) {
            out[i * labels + j] = (float) (j * sum / size);
          }
        }
        return out;
      }

      @Override
      public void close() {
        CLOSE_CALLS.incrementAndGet();
        if (!closed) {
          closed = true;
          OPEN.decrementAndGet();
        }
      }
    };
  }
}
