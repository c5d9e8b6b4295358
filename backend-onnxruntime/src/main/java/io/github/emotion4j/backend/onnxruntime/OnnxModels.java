package io.github.emotion4j.backend.onnxruntime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.github.emotion4j.Device;
import io.github.emotion4j.EngineOptions;
import io.github.emotion4j.DeviceUnavailableException;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.spi.DeviceResolver;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs an ONNX classifier that emotion4j did not build ("bring your own"), described by an {@link
 * ModelSidecar}: the api's decoding, preprocessing, softmax and labels in front of ONNX Runtime.
 *
 * <pre>{@code
 * try (EmotionClassifier c = OnnxModels.classifier(Path.of("mine.onnx"), Path.of("mine.json"))) {
 *   EmotionScores s = c.classify(Path.of("face.jpg"));
 * }
 * // a file written by OnnxExporter carries its sidecar inside:
 * try (EmotionClassifier c = OnnxModels.classifier(Path.of("fer2013-vgg-bn.onnx"))) { ... }
 * }</pre>
 *
 * <p>Before ONNX Runtime starts, the file is checked against the sidecar: the input must exist and
 * be rank 4 with the contract's channels, height and width where the model fixes them (in the
 * sidecar's layout), the batch dimension must be dynamic (or fixed at 1, then images go one at a
 * time), and the output's last dimension must match the label count. Mismatches throw {@link
 * ModelPackageException} naming what the model has.
 *
 * @since 0.1
 */
public final class OnnxModels {
  private OnnxModels() {}

  /**
   * A classifier for an ONNX file and its sidecar JSON, on the GPU if present, else the CPU.
   *
   * @param onnx the {@code .onnx} file
   * @param sidecar the sidecar JSON file (see {@link ModelSidecar})
   * @return the classifier, to be closed by the caller
   * @throws ModelPackageException if a file is missing or invalid, or they do not fit each other
   * @throws io.github.emotion4j.BackendUnavailableException if ONNX Runtime cannot start
   */
  public static EmotionClassifier classifier(Path onnx, Path sidecar) {
    return classifier(onnx, ModelSidecar.read(Objects.requireNonNull(sidecar, "sidecar")), Device.AUTO);
  }

  /**
   * A classifier for an ONNX file that carries its sidecar in its metadata properties (every file
   * {@link OnnxExporter} writes does), on the GPU if present, else the CPU.
   *
   * @param onnx the {@code .onnx} file
   * @return the classifier, to be closed by the caller
   * @throws ModelPackageException if the file is missing or invalid, or has no embedded sidecar
   * @throws io.github.emotion4j.BackendUnavailableException if ONNX Runtime cannot start
   */
  public static EmotionClassifier classifier(Path onnx) {
    return classifier(onnx, embeddedSidecar(onnx), Device.AUTO);
  }

  /**
   * A classifier for an ONNX file described by a sidecar, on a given device.
   *
   * @param onnx the {@code .onnx} file
   * @param sidecar what the model expects and returns
   * @param device CPU, GPU, or AUTO (the GPU if present, else the CPU)
   * @return the classifier, to be closed by the caller
   * @throws ModelPackageException if the file is missing or invalid, or does not fit the sidecar
   * @throws DeviceUnavailableException if the GPU is asked for and not present
   * @throws io.github.emotion4j.BackendUnavailableException if ONNX Runtime cannot start
   */
  public static EmotionClassifier classifier(Path onnx, ModelSidecar sidecar, Device device) {
    return EmotionClassifier.builder().backend(OnnxRuntimeBackend.NAME).device(device)
        .externalModel(onnx, sidecar).build();
  }

  /**
   * Loads an ONNX file as a backend-level network that maps preprocessed NCHW batches to the
   * model's output (logits, or probabilities where the sidecar says so). The file is checked against
   * the sidecar first; a model fixed at batch 1 is run one image at a time. For hosts that
   * preprocess themselves; most want {@link #classifier(Path, Path)}.
   *
   * @param onnx the {@code .onnx} file
   * @param sidecar what the model expects and returns
   * @param device CPU, GPU, or AUTO
   * @return the network, to be closed by the caller
   * @throws ModelPackageException if ONNX Runtime refuses the file
   * @throws DeviceUnavailableException if the GPU is asked for and not present
   */
  public static RunnableNetwork load(Path onnx, ModelSidecar sidecar, Device device) {
    return load(onnx, sidecar, device, EngineOptions.DEFAULT);
  }

  /**
   * Loads an ONNX file as {@link #load(Path, ModelSidecar, Device)} does, with engine options
   * (threads, graph optimisation, memory arena).
   *
   * @param onnx the {@code .onnx} file
   * @param sidecar what the model expects and returns
   * @param device CPU, GPU, or AUTO
   * @param options the engine options
   * @return the network, to be closed by the caller
   */
  public static RunnableNetwork load(Path onnx, ModelSidecar sidecar, Device device, EngineOptions options) {
    Objects.requireNonNull(onnx, "onnx");
    Objects.requireNonNull(sidecar, "sidecar");
    Objects.requireNonNull(device, "device");
    if (!Files.isRegularFile(onnx)) {
      throw new ModelPackageException("No ONNX file at " + onnx);
    }
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend();
    if (!backend.availability().available()) {
      throw new io.github.emotion4j.BackendUnavailableException(
          "The onnxruntime backend cannot run here: " + backend.availability().reason());
    }
    OrtNetwork.engine();
    Device concrete = DeviceResolver.resolve(OnnxRuntimeBackend.NAME, backend.devices(), device);
    boolean batchOfOne = check(onnx, sidecar);
    RunnableNetwork network = OrtNetwork.load(onnx, sidecar, concrete,
        "ONNX model \"" + sidecar.name() + "\" (" + onnx.getFileName() + ")", options);
    return batchOfOne ? new OneAtATime(network) : network;
  }

  /**
   * Reads the sidecar an exported ONNX file carries under {@value OnnxExporter#META_SIDECAR}.
   * Parses the file in Java; no native code loads.
   *
   * @param onnx the {@code .onnx} file
   * @return the sidecar
   * @throws ModelPackageException if the file is invalid or carries no sidecar
   */
  public static ModelSidecar embeddedSidecar(Path onnx) {
    Map<String, String> meta = metadataProperties(onnx);
    String json = meta.get(OnnxExporter.META_SIDECAR);
    if (json == null) {
      throw new ModelPackageException(
          "ONNX file " + onnx + " carries no " + OnnxExporter.META_SIDECAR + " metadata (it was not "
              + "written by emotion4j's OnnxExporter). Pass a sidecar JSON file: "
              + "OnnxModels.classifier(onnx, sidecar). Its metadata keys: " + meta.keySet());
    }
    return ModelSidecar.parse(json, onnx + "#" + OnnxExporter.META_SIDECAR);
  }

  /**
   * Returns an ONNX file's metadata properties (for an exported package: labels, sidecar and {@code
   * emotion-model.json} with its provenance). Parses the file in Java; no native code loads.
   *
   * @param onnx the {@code .onnx} file
   * @return key to value, in file order
   * @throws ModelPackageException if the file is missing or not ONNX
   */
  public static Map<String, String> metadataProperties(Path onnx) {
    ModelProto m = parse(readFile(onnx), onnx);
    Map<String, String> out = new LinkedHashMap<>();
    for (StringStringEntryProto e : m.getMetadataPropsList()) {
      out.put(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * Checks a file's declared input and output against a sidecar.
   *
   * @param onnx the file
   * @param sidecar its description
   * @return whether the model is fixed at batch 1 (else its batch dimension is dynamic)
   * @throws ModelPackageException naming what the model has when they do not fit
   */
  static boolean check(Path onnx, ModelSidecar sidecar) {
    return check(parse(readFile(onnx), onnx), sidecar, onnx);
  }

  private static byte[] readFile(Path onnx) {
    Objects.requireNonNull(onnx, "onnx");
    if (!Files.isRegularFile(onnx)) {
      throw new ModelPackageException("No ONNX file at " + onnx);
    }
    try {
      return Files.readAllBytes(onnx);
    } catch (IOException e) {
      throw new ModelPackageException("Could not read ONNX file " + onnx + ": " + e, e);
    }
  }

  private static ModelProto parse(byte[] bytes, Path onnx) {
    try {
      ModelProto m = ModelProto.parseFrom(bytes);
      if (!m.hasGraph()) {
        throw new ModelPackageException("ONNX file " + onnx + " holds no graph; is it an ONNX model?");
      }
      return m;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new ModelPackageException(
          "ONNX file " + onnx + " is not a valid ONNX model: " + e.getMessage(), e);
    }
  }

  /**
   * Checks the model's declared input and output against the sidecar.
   *
   * @param m the parsed model
   * @param sidecar its description
   * @param onnx the file, for messages
   * @return whether the model is fixed at batch 1 (else its batch dimension is dynamic)
   */
  static boolean check(ModelProto m, ModelSidecar sidecar, Path onnx) {
    Set<String> initializers = new HashSet<>();
    m.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
    List<ValueInfoProto> inputs = new ArrayList<>();
    for (ValueInfoProto v : m.getGraph().getInputList()) {
      if (!initializers.contains(v.getName())) {
        inputs.add(v);
      }
    }
    List<String> inputNames = inputs.stream().map(ValueInfoProto::getName).toList();
    ValueInfoProto input;
    if (sidecar.inputName().isEmpty()) {
      if (inputs.size() != 1) {
        throw new ModelPackageException(
            "ONNX file " + onnx + " has " + inputs.size() + " inputs " + inputNames
                + "; name the image input in the sidecar's input.name");
      }
      input = inputs.get(0);
    } else {
      input = inputs.stream().filter(v -> v.getName().equals(sidecar.inputName())).findFirst()
          .orElseThrow(() -> new ModelPackageException(
              "ONNX file " + onnx + " has no input named \"" + sidecar.inputName() + "\"; its inputs: "
                  + inputNames));
      if (inputs.size() != 1) {
        throw new ModelPackageException(
            "ONNX file " + onnx + " has " + inputs.size() + " inputs " + inputNames
                + "; emotion4j feeds only one (the image batch)");
      }
    }
    long[] dims = dims(input);
    InputContract c = sidecar.input();
    long[] expected = sidecar.layout() == ModelSidecar.Layout.NHWC
        ? new long[] {-1, c.height(), c.width(), c.channels()}
        : new long[] {-1, c.channels(), c.height(), c.width()};
    String expectedText = sidecar.layout() == ModelSidecar.Layout.NHWC
        ? "[batch, " + c.height() + ", " + c.width() + ", " + c.channels() + "] (NHWC)"
        : "[batch, " + c.channels() + ", " + c.height() + ", " + c.width() + "] (NCHW)";
    if (dims != null) {
      boolean fits = dims.length == 4;
      for (int i = 1; fits && i < 4; i++) {
        fits = dims[i] < 0 || dims[i] == expected[i];
      }
      if (!fits) {
        throw new ModelPackageException(
            "ONNX file " + onnx + ": input \"" + input.getName() + "\" has shape " + text(dims)
                + " but the sidecar's input contract and layout give " + expectedText
                + ". Fix input.channels/height/width or input.layout in the sidecar.");
      }
      if (dims[0] > 1) {
        throw new ModelPackageException(
            "ONNX file " + onnx + ": input \"" + input.getName() + "\" has a fixed batch of "
                + dims[0] + "; export the model with a dynamic batch dimension (or batch 1)");
      }
    }
    List<ValueInfoProto> outputs = m.getGraph().getOutputList();
    ValueInfoProto output = sidecar.outputName().isEmpty() ? outputs.isEmpty() ? null : outputs.get(0)
        : outputs.stream().filter(v -> v.getName().equals(sidecar.outputName())).findFirst()
            .orElseThrow(() -> new ModelPackageException(
                "ONNX file " + onnx + " has no output named \"" + sidecar.outputName()
                    + "\"; its outputs: " + outputs.stream().map(ValueInfoProto::getName).toList()));
    long[] outDims = output == null ? null : dims(output);
    if (outDims != null && outDims.length > 0 && outDims[outDims.length - 1] > 0
        && outDims[outDims.length - 1] != sidecar.labels().size()) {
      throw new ModelPackageException(
          "ONNX file " + onnx + ": output \"" + output.getName() + "\" has shape " + text(outDims)
              + " but the sidecar lists " + sidecar.labels().size() + " labels "
              + sidecar.labels().labels());
    }
    return dims != null && dims[0] == 1;
  }

  /** The declared dimensions, -1 where symbolic or unknown; null when no shape is declared. */
  private static long[] dims(ValueInfoProto v) {
    if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
      return null;
    }
    List<TensorShapeProto.Dimension> ds = v.getType().getTensorType().getShape().getDimList();
    long[] out = new long[ds.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ds.get(i).hasDimValue() && ds.get(i).getDimValue() > 0 ? ds.get(i).getDimValue() : -1;
    }
    return out;
  }

  private static String text(long[] dims) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : String.valueOf(dims[i]));
    }
    return sb.append(']').toString();
  }

  /** Runs a network fixed at batch 1 on each image of a batch in turn. */
  private static final class OneAtATime implements RunnableNetwork {
    private final RunnableNetwork network;

    OneAtATime(RunnableNetwork network) {
      this.network = network;
    }

    @Override
    public Device device() {
      return network.device();
    }

    @Override
    public float[] logits(InputBatch batch) {
      if (batch.size() == 1) {
        return network.logits(batch);
      }
      int size = (int) batch.imageShape().size();
      float[] out = null;
      for (int i = 0; i < batch.size(); i++) {
        float[] one = network.logits(new InputBatch(
            java.util.Arrays.copyOfRange(batch.data(), i * size, (i + 1) * size), 1,
            batch.imageShape()));
        if (out == null) {
          out = new float[one.length * batch.size()];
        }
        System.arraycopy(one, 0, out, i * one.length, one.length);
      }
      return out;
    }

    @Override
    public void close() {
      network.close();
    }
  }
}
