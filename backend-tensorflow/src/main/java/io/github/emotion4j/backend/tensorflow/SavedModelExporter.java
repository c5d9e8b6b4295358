package io.github.emotion4j.backend.tensorflow;

import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Emotion4jException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Turns an emotion4j model package into a TensorFlow SavedModel that TensorFlow Serving, Python
 * ({@code tf.saved_model.load}) or DJL can run, with no emotion4j code needed at serving time.
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.load(Path.of("fer2013-vgg-bn.zip"));
 * SavedModelExporter.export(pkg, Path.of("fer2013-vgg-bn-savedmodel"));
 * // python: tf.saved_model.load(dir).signatures["serving_default"](input=x)["logits"]
 * }</pre>
 *
 * <p>The SavedModel has the tag {@value #TAG} and one signature, {@value #SIGNATURE_KEY}, with:
 *
 * <ul>
 *   <li>input {@value #INPUT_NAME}: float32 {@code [batch, channels, height, width]} (NCHW, as the
 *       package's {@link io.github.emotion4j.model.InputContract} describes, already normalised);
 *   <li>output {@value #OUTPUT_NAME}: float32 {@code [batch, labels]}, the logits in the package's
 *       label order (apply softmax for probabilities).
 * </ul>
 *
 * <p>Inside, the graph works in NHWC, the only layout TensorFlow's CPU convolutions take: the input
 * is transposed once, convolution weights are laid out as HWIO, batch-norm becomes per-channel
 * scale and shift constants, padded pooling pads explicitly (zeros counted in the mean, as in
 * PyTorch; minus infinity for max), and flatten transposes back to NCHW order so that dense weights
 * trained in PyTorch's layout apply unchanged; dense layers multiply each image's row on its own
 * (a broadcast batch matrix product), so that results do not depend on the batch size. Weights
 * are graph constants: the SavedModel has no variables. The package's labels, input contract and layout are written beside the graph in
 * {@value #SIDECAR_PATH} (a {@link ModelSidecar}), and its full metadata, provenance included,
 * in {@value #METADATA_PATH}; TensorFlow ignores both.
 *
 * <p>Stateless and thread-safe. Loads TensorFlow's natives on first use (see {@link
 * TensorFlowNatives}).
 *
 * @since 0.1
 */
public final class SavedModelExporter {
  /** The signature's key. */
  public static final String SIGNATURE_KEY = "serving_default";
  /** The SavedModel's tag set. */
  public static final String TAG = "serve";
  /** The signature's input key (and the placeholder's name). */
  public static final String INPUT_NAME = "input";
  /** The signature's output key (and the output operation's name). */
  public static final String OUTPUT_NAME = "logits";
  /** Where the sidecar lies inside an exported SavedModel. */
  public static final String SIDECAR_PATH = "assets.extra/emotion4j-savedmodel.json";
  /** Where the package's metadata lies inside an exported SavedModel. */
  public static final String METADATA_PATH = "assets.extra/" + ModelPackage.METADATA_FILE;

  private static final Logger log = LoggerFactory.getLogger(SavedModelExporter.class);

  private SavedModelExporter() {}

  /**
   * Exports a package as a SavedModel folder. The folder appears whole or not at all: the model is
   * written to a temporary folder beside it and moved into place; an existing folder is replaced.
   *
   * @param model the package
   * @param dir the SavedModel folder to create or replace
   * @throws ModelPackageException if a layer cannot be expressed in TensorFlow
   * @throws BackendUnavailableException if TensorFlow's natives cannot be loaded
   * @throws Emotion4jException if writing fails (the cause says why)
   */
  public static void export(ModelPackage model, Path dir) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dir, "dir");
    TensorFlowEngine.get();
    Path target = dir.toAbsolutePath();
    long start = System.nanoTime();
    Path tmp = null;
    try {
      Path parent = target.getParent();
      Files.createDirectories(parent);
      tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
      Path out = tmp.resolve("savedmodel");
      writeSavedModel(model, out);
      writeMetadata(model, out);
      if (Files.exists(target)) {
        Path old = parent.resolve("." + target.getFileName() + ".old-" + System.nanoTime());
        AtomicFiles.move(target, old);
        AtomicFiles.move(out, target);
        AtomicFiles.deleteTree(old);
      } else {
        AtomicFiles.move(out, target);
      }
    } catch (IOException e) {
      throw new Emotion4jException(
          "Could not write the SavedModel of " + model + " to " + target + ": " + e, e);
    } finally {
      if (tmp != null) {
        AtomicFiles.deleteTree(tmp);
      }
    }
    log.debug("Exported {} as a SavedModel to {} in {} ms", model, target,
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Returns the sidecar describing the SavedModel {@link #export} writes for a package.
   *
   * @param model the package
   * @return NCHW input named {@value #INPUT_NAME}, logits named {@value #OUTPUT_NAME}
   */
  public static ModelSidecar sidecar(ModelPackage model) {
    return ModelSidecar.of(model.metadata().name(), model.metadata().version(), model.labels(),
        model.input()).withTensorNames(INPUT_NAME, OUTPUT_NAME).withSignature(SIGNATURE_KEY);
  }

  private static void writeMetadata(ModelPackage model, Path out) throws IOException {
    Path extra = out.resolve("assets.extra");
    Files.createDirectories(extra);
    sidecar(model).write(out.resolve(SIDECAR_PATH));
    // The package writer is the only public way to get the metadata JSON: save, keep the JSON.
    Path pkg = extra.resolve(".package");
    try {
      model.save(pkg);
      Files.move(pkg.resolve(ModelPackage.METADATA_FILE), out.resolve(METADATA_PATH));
    } finally {
      AtomicFiles.deleteTree(pkg);
    }
  }

  private static void writeSavedModel(ModelPackage model, Path out) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      FeatureShape in = model.input().shape();
      Placeholder<TFloat32> input = tf.withName(INPUT_NAME).placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, in.channels(), in.height(), in.width())));
      Operand<TFloat32> x = tf.linalg.transpose(input, tf.constant(new int[] {0, 2, 3, 1}));
      List<LayerSpec> layers = model.layers();
      NetworkSummary summary = model.summary();
      for (int i = 0; i < layers.size(); i++) {
        try {
          x = layer(tf, model, i, layers.get(i), summary.shapes().get(i), x);
        } catch (ModelPackageException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new ModelPackageException(
              "Layer " + i + " (" + layers.get(i).type() + ") of " + model
                  + " could not be built in TensorFlow: " + e, e);
        }
      }
      Operand<TFloat32> logits = tf.withName(OUTPUT_NAME).identity(x);
      try (Session session = new Session(graph)) {
        Signature signature = Signature.builder(SIGNATURE_KEY)
            .input(INPUT_NAME, input).output(OUTPUT_NAME, logits).build();
        SavedModelBundle.exporter(out.toString())
            .withTags(TAG)
            .withFunction(SessionFunction.create(signature, session))
            .export();
      }
    }
  }

  private static Operand<TFloat32> layer(
      Ops tf, ModelPackage m, int i, LayerSpec layer, FeatureShape in, Operand<TFloat32> x) {
    if (layer instanceof LayerSpec.Conv2d c) {
      Tensor w = m.tensor(NetworkSummary.tensorName(i, "weight"));
      Operand<TFloat32> filter = constant(tf, oihwToHwio(w.data(), c.filters(), in.channels(), c.kernel()),
          c.kernel(), c.kernel(), in.channels(), c.filters());
      List<Long> strides = List.of(1L, (long) c.stride(), (long) c.stride(), 1L);
      int p = c.padding();
      Operand<TFloat32> y;
      if (p == 0) {
        y = tf.nn.conv2d(x, filter, strides, "VALID");
      } else if (c.stride() == 1 && 2 * p == c.kernel() - 1) {
        y = tf.nn.conv2d(x, filter, strides, "SAME"); // stride 1, odd kernel: SAME pads p each side
      } else {
        y = tf.nn.conv2d(x, filter, strides, "EXPLICIT",
            Conv2d.explicitPaddings(0L, 0L, (long) p, (long) p, (long) p, (long) p, 0L, 0L));
      }
      if (c.bias()) {
        y = tf.nn.biasAdd(y, constant(tf, m.tensor(NetworkSummary.tensorName(i, "bias")).data(),
            c.filters()));
      }
      return y;
    }
    if (layer instanceof LayerSpec.BatchNorm bn) {
      float[] gamma = m.tensor(NetworkSummary.tensorName(i, "weight")).data();
      float[] beta = m.tensor(NetworkSummary.tensorName(i, "bias")).data();
      float[] mean = m.tensor(NetworkSummary.tensorName(i, "running_mean")).data();
      float[] var = m.tensor(NetworkSummary.tensorName(i, "running_var")).data();
      int c = in.channels();
      float[] scale = new float[c];
      float[] shift = new float[c];
      for (int j = 0; j < c; j++) {
        double s = gamma[j] / Math.sqrt(var[j] + bn.epsilon());
        scale[j] = (float) s;
        shift[j] = (float) (beta[j] - mean[j] * s);
      }
      // Channels are the last axis both in NHWC maps and in [batch, features] vectors.
      return tf.math.add(tf.math.mul(x, constant(tf, scale, c)), constant(tf, shift, c));
    }
    if (layer instanceof LayerSpec.Relu) {
      return tf.nn.relu(x);
    }
    if (layer instanceof LayerSpec.LeakyRelu lr) {
      return tf.nn.leakyRelu(x, LeakyRelu.alpha((float) lr.slope()));
    }
    if (layer instanceof LayerSpec.MaxPool p) {
      Operand<TFloat32> padded = pad(tf, x, p.padding(), Float.NEGATIVE_INFINITY);
      return tf.nn.maxPool(padded, tf.constant(new int[] {1, p.kernel(), p.kernel(), 1}),
          tf.constant(new int[] {1, p.stride(), p.stride(), 1}), "VALID");
    }
    if (layer instanceof LayerSpec.AvgPool p) {
      // PyTorch counts padded zeros in the mean: pad with zeros, then average VALID windows.
      Operand<TFloat32> padded = pad(tf, x, p.padding(), 0f);
      return tf.nn.avgPool(padded, List.of(1L, (long) p.kernel(), (long) p.kernel(), 1L),
          List.of(1L, (long) p.stride(), (long) p.stride(), 1L), "VALID");
    }
    if (layer instanceof LayerSpec.GlobalAvgPool) {
      return tf.math.mean(x, tf.constant(new int[] {1, 2}));
    }
    if (layer instanceof LayerSpec.Flatten) {
      if (in.flat()) {
        return x;
      }
      // Back to NCHW so the vector is channel-major, as dense weights from PyTorch expect.
      Operand<TFloat32> nchw = tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}));
      return tf.reshape(nchw, tf.constant(new long[] {-1, in.size()}));
    }
    if (layer instanceof LayerSpec.Dense d) {
      int n = in.channels();
      float[] w = m.tensor(NetworkSummary.tensorName(i, "weight")).data();
      float[] wt = new float[w.length]; // [out, in] -> [in, out]
      for (int o = 0; o < d.units(); o++) {
        for (int k = 0; k < n; k++) {
          wt[k * d.units() + o] = w[o * n + k];
        }
      }
      Operand<TFloat32> y = tf.linalg.matMul(x, constant(tf, wt, n, d.units()));
      if (d.bias()) {
        y = tf.nn.biasAdd(y, constant(tf, m.tensor(NetworkSummary.tensorName(i, "bias")).data(),
            d.units()));
      }
      return y;
    }
    if (layer instanceof LayerSpec.Dropout) {
      return x; // the identity at inference
    }
    throw new ModelPackageException(
        "The TensorFlow backend cannot export layer " + i + " of type " + layer.type());
  }

  private static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int p, float value) {
    if (p == 0) {
      return x;
    }
    return tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(value));
  }

  private static Operand<TFloat32> constant(Ops tf, float[] values, long... shape) {
    return tf.constant(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  /** PyTorch's [out, in, kh, kw] to TensorFlow's [kh, kw, in, out]. */
  static float[] oihwToHwio(float[] w, int out, int in, int k) {
    float[] r = new float[w.length];
    for (int o = 0; o < out; o++) {
      for (int c = 0; c < in; c++) {
        for (int y = 0; y < k; y++) {
          for (int x = 0; x < k; x++) {
            r[((y * k + x) * in + c) * out + o] = w[(o * in + c) * k * k + y * k + x];
          }
        }
      }
    }
    return r;
  }
}
