package io.github.emotion4j.backend.tensorflow;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.github.emotion4j.BackendUnavailableException;
import io.github.emotion4j.Device;
import io.github.emotion4j.Emotion4jException;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.spi.CallerPool;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SavedModel loaded through DJL's TensorFlow engine. Thread-safe: each call borrows a predictor
 * from a pool (DJL predictors are single-threaded) and works in its own native memory scope, freed
 * before the call returns; the TensorFlow session underneath is shared and runs calls concurrently.
 * {@link #close} waits for calls in flight, then closes the predictors and the model.
 */
final class TensorFlowNetwork implements RunnableNetwork {
  private static final Logger log = LoggerFactory.getLogger(TensorFlowNetwork.class);

  private final ZooModel<NDList, NDList> model;
  private final Device device;
  private final FeatureShape imageShape;
  private final int outputs;
  private final ModelSidecar.Layout layout;
  private final String outputName;
  private final String source;
  private final CallerPool<Predictor<NDList, NDList>> predictors;

  private TensorFlowNetwork(ZooModel<NDList, NDList> model, Device device, FeatureShape imageShape,
      int outputs, ModelSidecar sidecar, String source) {
    this.model = model;
    this.device = device;
    this.imageShape = imageShape;
    this.outputs = outputs;
    this.layout = sidecar.layout();
    this.outputName = sidecar.outputName();
    this.source = source;
    this.predictors = new CallerPool<>(model::newPredictor, Predictor::close,
        "The TensorFlow network for " + source);
  }

  /**
   * Loads a SavedModel folder through DJL's {@code Criteria}.
   *
   * @param dir the SavedModel folder (holding {@code saved_model.pb})
   * @param sidecar its signature, names, layout and output kind
   * @param device CPU or GPU
   * @return the network
   * @throws ModelPackageException if the SavedModel cannot be loaded
   * @throws BackendUnavailableException if the engine cannot start
   */
  static TensorFlowNetwork load(Path dir, ModelSidecar sidecar, Device device) {
    TensorFlowEngine.get();
    String signature = sidecar.signature().isEmpty() ? SavedModelExporter.SIGNATURE_KEY : sidecar.signature();
    Criteria<NDList, NDList> criteria = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelPath(dir)
        .optEngine(TensorFlowEngine.ENGINE_NAME)
        .optDevice(device == Device.GPU ? ai.djl.Device.gpu() : ai.djl.Device.cpu())
        .optOption("Tags", SavedModelExporter.TAG)
        .optOption("SignatureDefKey", signature)
        .optTranslator(new NoopTranslator())
        .build();
    ZooModel<NDList, NDList> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException e) {
      throw new ModelPackageException(
          "TensorFlow could not load the SavedModel " + dir + ": " + e
              + ". Check that it holds saved_model.pb with the tag \"" + SavedModelExporter.TAG
              + "\" and the signature \"" + signature + "\"", e);
    } catch (RuntimeException e) {
      throw new ModelPackageException(
          "TensorFlow could not load the SavedModel " + dir + ": " + e, e);
    }
    TensorFlowNetwork net = new TensorFlowNetwork(model, device, sidecar.input().shape(),
        sidecar.labels().size(), sidecar, dir.toString());
    log.debug("Loaded SavedModel {} on {}: inputs {}", dir, device, model.getBlock().describeInput());
    return net;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public float[] logits(InputBatch batch) {
    if (!batch.imageShape().equals(imageShape)) {
      throw new IllegalArgumentException(
          "This network takes images of " + imageShape + ", got " + batch.imageShape());
    }
    return predictors.call(predictor -> run(predictor, batch));
  }

  private float[] run(Predictor<NDList, NDList> predictor, InputBatch batch) {
    int n = batch.size();
    int c = imageShape.channels();
    int h = imageShape.height();
    int w = imageShape.width();
    float[] data = batch.data();
    Shape shape = new Shape(n, c, h, w);
    if (layout == ModelSidecar.Layout.NHWC) {
      data = batch.toNhwc();
      shape = new Shape(n, h, w, c);
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray input = manager.create(FloatBuffer.wrap(data), shape, DataType.FLOAT32);
      NDList out = predictor.predict(new NDList(input));
      NDArray result = pick(out);
      if (result.getDataType() != DataType.FLOAT32) {
        result = result.toType(DataType.FLOAT32, false);
      }
      float[] values = result.toFloatArray();
      if (values.length != n * outputs) {
        throw new ModelPackageException(
            "The SavedModel " + source + " gave output of shape " + result.getShape() + " for "
                + n + " images, but its sidecar lists " + outputs + " labels");
      }
      return values;
    } catch (TranslateException | RuntimeException e) {
      if (e instanceof Emotion4jException ee) {
        throw ee;
      }
      throw new Emotion4jException(
          "TensorFlow failed to run the SavedModel " + source + " on a batch of " + n
              + " images of " + imageShape + ": " + e, e);
    }
  }

  private NDArray pick(NDList out) {
    if (outputName.isEmpty()) {
      if (out.size() != 1) {
        throw new ModelPackageException("The SavedModel " + source + " has " + out.size()
            + " outputs " + names(out) + ": name one as output.name in its sidecar");
      }
      return out.head();
    }
    for (NDArray a : out) {
      if (outputName.equals(a.getName())) {
        return a;
      }
    }
    throw new ModelPackageException("The SavedModel " + source + " has no output \"" + outputName
        + "\"; its outputs are " + names(out));
  }

  private static List<String> names(NDList out) {
    List<String> names = new ArrayList<>();
    out.forEach(a -> names.add(a.getName()));
    return names;
  }

  @Override
  public void close() {
    predictors.close(() -> {
      model.close();
      log.debug("Closed TensorFlow network {}", source);
    });
  }
}
