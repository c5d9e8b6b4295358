package io.github.emotion4j.backend.onnxruntime;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.gson.JsonArray;
import com.google.protobuf.ByteString;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.internal.Versions;
import io.github.emotion4j.model.FeatureShape;
import io.github.emotion4j.model.LayerSpec;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.model.ModelSidecar;
import io.github.emotion4j.model.NetworkSummary;
import io.github.emotion4j.model.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Turns a {@link ModelPackage} (its layer list and weights) into an ONNX model that any ONNX
 * runtime can run.
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.load(Path.of("fer2013-vgg-bn.zip"));
 * OnnxExporter.export(pkg, Path.of("fer2013-vgg-bn.onnx"));   // written atomically
 * }</pre>
 *
 * <p>The model uses opset {@value #OPSET}. Its input {@value #INPUT_NAME} is float32 {@code [batch,
 * channels, height, width]} with a dynamic batch dimension named {@value #BATCH_DIM}, preprocessed as
 * the package's input contract says; its output {@value #OUTPUT_NAME} is float32 {@code [batch,
 * labels]} logits (apply softmax for probabilities). Weights become initializers named as in the
 * package ({@code layers.3.weight}). Layers map to ONNX operators as follows: conv2d to {@code Conv},
 * batchnorm to {@code BatchNormalization} with the running statistics, relu to {@code Relu},
 * leaky_relu to {@code LeakyRelu}, maxpool to {@code MaxPool}, avgpool to {@code AveragePool} with
 * {@code count_include_pad=1} (PyTorch's default), global_avgpool to {@code GlobalAveragePool} then
 * {@code Flatten}, flatten to {@code Flatten}, dense to {@code Gemm} with {@code transB=1}; dropout
 * is left out (the identity at inference).
 *
 * <p>The model's metadata properties carry the labels ({@value #META_LABELS}, a JSON array), the
 * input contract, layout and output kind as an {@link ModelSidecar} ({@value #META_SIDECAR}), and the
 * package's whole {@code emotion-model.json} with its provenance ({@value #META_MODEL}), so the file
 * describes itself: {@link OnnxModels#classifier(Path)} runs it without a sidecar file.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class OnnxExporter {
  /** The ONNX operator set version the exported models use. */
  public static final int OPSET = 13;
  /** The ONNX IR version written (7 is the IR of opset 13). */
  public static final int IR_VERSION = 7;
  /** The name of the model's input. */
  public static final String INPUT_NAME = "input";
  /** The name of the model's output. */
  public static final String OUTPUT_NAME = "logits";
  /** The name of the dynamic batch dimension. */
  public static final String BATCH_DIM = "batch";
  /** Metadata property holding the labels as a JSON array, in output order. */
  public static final String META_LABELS = "emotion4j.labels";
  /** Metadata property holding the {@link ModelSidecar} JSON: labels, input contract, layout. */
  public static final String META_SIDECAR = "emotion4j.sidecar";
  /** Metadata property holding the package's {@code emotion-model.json}, provenance included. */
  public static final String META_MODEL = "emotion4j.model";
  /**
   * The version of this exporter's mapping; part of the cache key, so raise it whenever the graph
   * it writes for the same package changes.
   */
  static final int EXPORT_VERSION = 1;

  /** Writes the ONNX nodes of one layer. */
  @FunctionalInterface
  interface LayerWriter {
    /**
     * Adds the layer's nodes to the graph.
     *
     * @param g the graph being built, with the current activation's name
     * @param index the layer's index in the list
     * @param layer the layer
     * @param in the layer's input shape (one image)
     */
    void write(GraphWriter g, int index, LayerSpec layer, FeatureShape in);
  }

  /** The ONNX mapping of each layer type, by {@link LayerSpec#type()}; a type missing here fails. */
  static final Map<String, LayerWriter> WRITERS = writers();

  private OnnxExporter() {}

  /**
   * Exports a package to ONNX bytes.
   *
   * @param model the package
   * @return the serialised ONNX {@code ModelProto}
   * @throws ModelPackageException if a layer has no ONNX mapping
   */
  public static byte[] export(ModelPackage model) {
    return build(model, WRITERS).toByteArray();
  }

  /**
   * Exports a package to an ONNX file, atomically: written beside {@code target} and moved into
   * place, so readers see the old file or the whole new one.
   *
   * @param model the package
   * @param target the {@code .onnx} file to create or replace
   * @throws ModelPackageException if a layer has no ONNX mapping
   * @throws IOException if writing fails; an existing file is then unchanged
   */
  public static void export(ModelPackage model, Path target) throws IOException {
    Objects.requireNonNull(target, "target");
    AtomicFiles.write(target, export(model));
  }

  /**
   * The sidecar that describes an exported model: its labels, input contract, NCHW layout and logits
   * output, with the tensor names.
   *
   * @param model the package
   * @return the sidecar embedded in the export under {@value #META_SIDECAR}
   */
  public static ModelSidecar sidecar(ModelPackage model) {
    return ModelSidecar.of(model.metadata().name(), model.metadata().version(), model.labels(),
        model.input()).withTensorNames(INPUT_NAME, OUTPUT_NAME);
  }

  /**
   * Builds the model with a given mapping (tests pass one that lacks a type).
   *
   * @param model the package
   * @param writers the mapping of layer types to ONNX nodes
   * @return the ONNX model
   * @throws ModelPackageException if a layer's type is not in the mapping
   */
  static ModelProto build(ModelPackage model, Map<String, LayerWriter> writers) {
    Objects.requireNonNull(model, "model");
    List<LayerSpec> layers = model.layers();
    for (int i = 0; i < layers.size(); i++) {
      if (!writers.containsKey(layers.get(i).type())) {
        throw unsupported(model, i, layers.get(i), writers);
      }
    }
    NetworkSummary summary = model.summary();
    GraphWriter g = new GraphWriter(model);
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec layer = layers.get(i);
      writers.get(layer.type()).write(g, i, layer, summary.shapes().get(i));
    }
    g.finish();

    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("emotion4j")
        .setProducerVersion(Versions.emotion4j())
        .setDomain("io.github.emotion4j")
        .setDocString("emotion4j model " + model.metadata().name() + " " + model.metadata().version()
            + ": input " + INPUT_NAME + " [batch, " + model.input().channels() + ", "
            + model.input().height() + ", " + model.input().width() + "] preprocessed per "
            + META_SIDECAR + ", output " + OUTPUT_NAME + " [batch, " + model.labels().size()
            + "] logits over " + model.labels().labels())
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(g.graph);
    JsonArray labels = new JsonArray();
    model.labels().labels().forEach(labels::add);
    meta(m, META_LABELS, labels.toString());
    meta(m, META_SIDECAR, sidecar(model).toJson());
    meta(m, META_MODEL, metadataJson(model));
    return m.build();
  }

  private static void meta(ModelProto.Builder m, String key, String value) {
    m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }

  private static ModelPackageException unsupported(ModelPackage model, int index, LayerSpec layer,
      Map<String, LayerWriter> writers) {
    String supported = writers.keySet().stream().sorted()
        .collect(Collectors.joining(", "));
    return new ModelPackageException(
        "Cannot export model \"" + model.metadata().name() + "\" to ONNX: layer " + index + " ("
            + layer.type() + ") has no ONNX mapping in this emotion4j version. Layers it exports: "
            + supported + ". Use a backend that runs " + layer.type()
            + " (e.g. native or pytorch), or upgrade emotion4j-backend-onnxruntime.");
  }

  /**
   * Returns the package's {@code emotion-model.json}. The api keeps its JSON mapper private, so the
   * package is written to a temporary zip and the entry read back.
   *
   * @param model the package
   * @return the JSON text
   */
  static String metadataJson(ModelPackage model) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("emotion4j-onnx-export");
      Path zip = dir.resolve("model.zip");
      model.save(zip);
      try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
        ZipEntry e;
        while ((e = z.getNextEntry()) != null) {
          if (e.getName().equals(ModelPackage.METADATA_FILE)) {
            return new String(z.readAllBytes(), StandardCharsets.UTF_8);
          }
        }
      }
      throw new IllegalStateException("ModelPackage.save wrote no " + ModelPackage.METADATA_FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not write model \"" + model.metadata().name() + "\" to a temporary folder to "
              + "read its " + ModelPackage.METADATA_FILE, e);
    } finally {
      if (dir != null) {
        AtomicFiles.deleteTree(dir);
      }
    }
  }

  private static Map<String, LayerWriter> writers() {
    Map<String, LayerWriter> w = new LinkedHashMap<>();
    w.put("conv2d", (g, i, l, in) -> {
      LayerSpec.Conv2d c = (LayerSpec.Conv2d) l;
      NodeProto.Builder n = g.node("Conv", i)
          .addInput(g.current)
          .addInput(g.initializer(i, "weight"));
      if (c.bias()) {
        n.addInput(g.initializer(i, "bias"));
      }
      n.addAttribute(ints("kernel_shape", c.kernel(), c.kernel()))
          .addAttribute(ints("strides", c.stride(), c.stride()))
          .addAttribute(ints("pads", c.padding(), c.padding(), c.padding(), c.padding()))
          .addAttribute(ints("dilations", 1, 1))
          .addAttribute(integer("group", 1));
      g.add(n);
    });
    w.put("batchnorm", (g, i, l, in) -> {
      LayerSpec.BatchNorm b = (LayerSpec.BatchNorm) l;
      g.add(g.node("BatchNormalization", i)
          .addInput(g.current)
          .addInput(g.initializer(i, "weight"))
          .addInput(g.initializer(i, "bias"))
          .addInput(g.initializer(i, "running_mean"))
          .addInput(g.initializer(i, "running_var"))
          .addAttribute(floating("epsilon", (float) b.epsilon())));
    });
    w.put("relu", (g, i, l, in) -> g.add(g.node("Relu", i).addInput(g.current)));
    w.put("leaky_relu", (g, i, l, in) -> g.add(g.node("LeakyRelu", i)
        .addInput(g.current)
        .addAttribute(floating("alpha", (float) ((LayerSpec.LeakyRelu) l).slope()))));
    w.put("maxpool", (g, i, l, in) -> {
      LayerSpec.MaxPool p = (LayerSpec.MaxPool) l;
      g.add(g.node("MaxPool", i).addInput(g.current)
          .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
          .addAttribute(ints("strides", p.stride(), p.stride()))
          .addAttribute(ints("pads", p.padding(), p.padding(), p.padding(), p.padding())));
    });
    w.put("avgpool", (g, i, l, in) -> {
      LayerSpec.AvgPool p = (LayerSpec.AvgPool) l;
      g.add(g.node("AveragePool", i).addInput(g.current)
          .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
          .addAttribute(ints("strides", p.stride(), p.stride()))
          .addAttribute(ints("pads", p.padding(), p.padding(), p.padding(), p.padding()))
          .addAttribute(integer("count_include_pad", 1)));
    });
    w.put("global_avgpool", (g, i, l, in) -> {
      g.add(g.node("GlobalAveragePool", i).addInput(g.current));
      g.add(g.node("Flatten", i, "flatten").addInput(g.current).addAttribute(integer("axis", 1)));
    });
    w.put("flatten", (g, i, l, in) ->
        g.add(g.node("Flatten", i).addInput(g.current).addAttribute(integer("axis", 1))));
    w.put("dense", (g, i, l, in) -> {
      NodeProto.Builder n = g.node("Gemm", i)
          .addInput(g.current)
          .addInput(g.initializer(i, "weight"));
      if (((LayerSpec.Dense) l).bias()) {
        n.addInput(g.initializer(i, "bias"));
      }
      g.add(n.addAttribute(integer("transB", 1)));
    });
    w.put("dropout", (g, i, l, in) -> {
      // the identity at inference: no node
    });
    return Collections.unmodifiableMap(w);
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  private static AttributeProto floating(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
        .setF(value).build();
  }

  /** The graph under construction: nodes, initializers and the name of the current activation. */
  static final class GraphWriter {
    private final ModelPackage model;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private String current = INPUT_NAME;

    /**
     * Starts a graph with the package's input and output declared.
     *
     * @param model the package whose tensors become initializers
     */
    GraphWriter(ModelPackage model) {
      this.model = model;
      graph.setName(model.metadata().name());
      graph.addInput(valueInfo(INPUT_NAME,
          new Object[] {BATCH_DIM, model.input().channels(), model.input().height(),
              model.input().width()}));
      graph.addOutput(valueInfo(OUTPUT_NAME, new Object[] {BATCH_DIM, model.labels().size()}));
    }

    /**
     * Starts a node whose output is named after the layer.
     *
     * @param op the ONNX operator
     * @param layer the layer's index
     * @return the node builder
     */
    NodeProto.Builder node(String op, int layer) {
      return node(op, layer, op.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Starts a node.
     *
     * @param op the ONNX operator
     * @param layer the layer's index
     * @param tag tells apart several nodes of one layer
     * @return the node builder
     */
    NodeProto.Builder node(String op, int layer, String tag) {
      String name = "layers." + layer + "." + tag;
      return NodeProto.newBuilder().setOpType(op).setName(name).addOutput(name);
    }

    /**
     * Adds a node; its output becomes the current activation.
     *
     * @param node the node
     */
    void add(NodeProto.Builder node) {
      graph.addNode(node);
      current = node.getOutput(0);
    }

    /**
     * Adds a package tensor as an initializer.
     *
     * @param layer the layer's index
     * @param suffix {@code weight}, {@code bias}, {@code running_mean} or {@code running_var}
     * @return the initializer's name
     */
    String initializer(int layer, String suffix) {
      String name = NetworkSummary.tensorName(layer, suffix);
      Tensor t = model.tensor(name);
      float[] data = t.data();
      ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      raw.asFloatBuffer().put(data);
      TensorProto.Builder p = TensorProto.newBuilder().setName(name)
          .setDataType(TensorProto.DataType.FLOAT.getNumber())
          .setRawData(ByteString.copyFrom(raw.array()));
      for (int d : t.shape()) {
        p.addDims(d);
      }
      graph.addInitializer(p);
      return name;
    }

    /** Renames the last activation to the model's output. */
    void finish() {
      if (graph.getNodeCount() > 0 && current.equals(graph.getNode(graph.getNodeCount() - 1).getOutput(0))
          && !current.equals(INPUT_NAME)) {
        NodeProto.Builder last = graph.getNodeBuilder(graph.getNodeCount() - 1);
        last.setOutput(0, OUTPUT_NAME);
      } else {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName("output")
            .addInput(current).addOutput(OUTPUT_NAME));
      }
      current = OUTPUT_NAME;
    }

    private static ValueInfoProto valueInfo(String name, Object[] dims) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (Object d : dims) {
        TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
        if (d instanceof String s) {
          dim.setDimParam(s);
        } else {
          dim.setDimValue((Integer) d);
        }
        shape.addDim(dim);
      }
      return ValueInfoProto.newBuilder().setName(name)
          .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
              .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)))
          .build();
    }
  }
}
