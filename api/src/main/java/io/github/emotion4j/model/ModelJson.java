package io.github.emotion4j.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps {@link ModelMetadata} to and from {@code emotion-model.json}; every key is spelled once. */
final class ModelJson {
  static final String FORMAT_VERSION = "format-version";
  static final String NAME = "name";
  static final String VERSION = "version";
  static final String LABELS = "labels";
  static final String LABEL_SET = "label-set";
  static final String INPUT = "input";
  static final String CHANNELS = "channels";
  static final String HEIGHT = "height";
  static final String WIDTH = "width";
  static final String MEAN = "mean";
  static final String STD = "std";
  static final String RESIZE = "resize";
  static final String LAYERS = "layers";
  static final String TYPE = "type";
  static final String WEIGHTS = "weights";
  static final String FILE = "file";
  static final String SHA256 = "sha256";
  static final String PROVENANCE = "provenance";

  static final List<String> LAYER_TYPES =
      List.of("conv2d", "batchnorm", "relu", "leaky_relu", "maxpool", "avgpool",
          "global_avgpool", "flatten", "dense", "dropout");

  // Integers in free-form provenance trees read back as Long (not Double): counts and seeds keep
  // their exact value and print without ".0" when written again.
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
  private static final java.lang.reflect.Type TREE = new TypeToken<Map<String, Object>>() {}.getType();

  private ModelJson() {}

  static String write(ModelMetadata m) {
    JsonObject root = new JsonObject();
    root.addProperty(FORMAT_VERSION, m.formatVersion());
    root.addProperty(NAME, m.name());
    root.addProperty(VERSION, m.version());
    root.addProperty(LABEL_SET, m.labels().name());
    root.add(LABELS, strings(m.labels().labels()));
    JsonObject input = new JsonObject();
    input.addProperty(CHANNELS, m.input().channels());
    input.addProperty(HEIGHT, m.input().height());
    input.addProperty(WIDTH, m.input().width());
    input.add(MEAN, GSON.toJsonTree(m.input().mean()));
    input.add(STD, GSON.toJsonTree(m.input().std()));
    input.addProperty(RESIZE, m.input().resize());
    root.add(INPUT, input);
    JsonArray layers = new JsonArray();
    m.layers().forEach(l -> layers.add(layer(l)));
    root.add(LAYERS, layers);
    JsonObject weights = new JsonObject();
    weights.addProperty(FILE, ModelPackage.WEIGHTS_FILE);
    weights.addProperty(SHA256, m.weightsSha256());
    root.add(WEIGHTS, weights);
    root.add(PROVENANCE, provenance(m.provenance()));
    return GSON.toJson(root) + "\n";
  }

  static ModelMetadata read(String json, String source) {
    JsonObject root;
    try {
      root = JsonParser.parseString(json).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new ModelPackageException(source + " is not a JSON object: " + e.getMessage(), e);
    }
    try {
      JsonFields f = new JsonFields(source);
      int format = f.integer(root, "", FORMAT_VERSION);
      if (format > ModelPackage.FORMAT_VERSION || format < 1) {
        throw new ModelPackageException(
            source + " has format-version " + format + "; this emotion4j reads versions 1 to "
                + ModelPackage.FORMAT_VERSION + ". Upgrade emotion4j to read it.");
      }
      List<String> labelNames = f.strings(root, "", LABELS);
      String labelSetName = root.has(LABEL_SET) ? f.string(root, "", LABEL_SET) : "custom";
      JsonObject in = f.object(root, "", INPUT);
      InputContract input = new InputContract(
          f.integer(in, INPUT, CHANNELS), f.integer(in, INPUT, HEIGHT), f.integer(in, INPUT, WIDTH),
          f.numbers(in, INPUT, MEAN), f.numbers(in, INPUT, STD),
          in.has(RESIZE) ? f.string(in, INPUT, RESIZE) : InputContract.AREA);
      List<LayerSpec> layers = new ArrayList<>();
      JsonArray layerArray = f.array(root, "", LAYERS);
      for (int i = 0; i < layerArray.size(); i++) {
        if (!layerArray.get(i).isJsonObject()) {
          throw new ModelPackageException(source + ": layers[" + i + "] must be an object, not " + layerArray.get(i));
        }
        layers.add(layer(layerArray.get(i).getAsJsonObject(), i, source));
      }
      JsonObject weights = f.object(root, "", WEIGHTS);
      String file = f.string(weights, WEIGHTS, FILE);
      if (!file.equals(ModelPackage.WEIGHTS_FILE)) {
        throw new ModelPackageException(
            source + " names weights file \"" + file + "\"; packages use " + ModelPackage.WEIGHTS_FILE);
      }
      ModelProvenance provenance = root.has(PROVENANCE)
          ? provenance(f.object(root, "", PROVENANCE))
          : new ModelProvenance(null, null, null, null, null, null, null, null, null, null, null, null, null);
      return new ModelMetadata(format, f.string(root, "", NAME), f.string(root, "", VERSION),
          new LabelSet(labelSetName, labelNames), input, layers, f.string(weights, WEIGHTS, SHA256),
          provenance);
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException(
          source + " is not a valid model description: " + e.getMessage()
              + " (a required field may be missing or of the wrong type)", e);
    }
  }

  private static JsonObject layer(LayerSpec layer) {
    JsonObject o = new JsonObject();
    o.addProperty(TYPE, layer.type());
    if (layer instanceof LayerSpec.Conv2d c) {
      o.addProperty("filters", c.filters());
      o.addProperty("kernel", c.kernel());
      o.addProperty("stride", c.stride());
      o.addProperty("padding", c.padding());
      o.addProperty("bias", c.bias());
    } else if (layer instanceof LayerSpec.BatchNorm b) {
      o.addProperty("epsilon", b.epsilon());
    } else if (layer instanceof LayerSpec.LeakyRelu l) {
      o.addProperty("slope", l.slope());
    } else if (layer instanceof LayerSpec.MaxPool p) {
      o.addProperty("kernel", p.kernel());
      o.addProperty("stride", p.stride());
      o.addProperty("padding", p.padding());
    } else if (layer instanceof LayerSpec.AvgPool p) {
      o.addProperty("kernel", p.kernel());
      o.addProperty("stride", p.stride());
      o.addProperty("padding", p.padding());
    } else if (layer instanceof LayerSpec.Dense d) {
      o.addProperty("units", d.units());
      o.addProperty("bias", d.bias());
    } else if (layer instanceof LayerSpec.Dropout d) {
      o.addProperty("rate", d.rate());
    }
    return o;
  }

  private static LayerSpec layer(JsonObject o, int index, String source) {
    String type = o.has(TYPE) ? o.get(TYPE).getAsString() : "(missing)";
    JsonFields f = new JsonFields(source);
    String at = LAYERS + "[" + index + "]";
    try {
      switch (type) {
        case "conv2d":
          return new LayerSpec.Conv2d(f.integer(o, at, "filters"), f.integer(o, at, "kernel"),
              intOr(o, "stride", 1), intOr(o, "padding", 0), !o.has("bias") || o.get("bias").getAsBoolean());
        case "batchnorm":
          return new LayerSpec.BatchNorm(o.has("epsilon") ? o.get("epsilon").getAsDouble() : 1e-5);
        case "relu":
          return new LayerSpec.Relu();
        case "leaky_relu":
          return new LayerSpec.LeakyRelu(o.has("slope") ? o.get("slope").getAsDouble() : 0.01);
        case "maxpool":
          return new LayerSpec.MaxPool(f.integer(o, at, "kernel"),
              intOr(o, "stride", o.get("kernel").getAsInt()), intOr(o, "padding", 0));
        case "avgpool":
          return new LayerSpec.AvgPool(f.integer(o, at, "kernel"),
              intOr(o, "stride", o.get("kernel").getAsInt()), intOr(o, "padding", 0));
        case "global_avgpool":
          return new LayerSpec.GlobalAvgPool();
        case "flatten":
          return new LayerSpec.Flatten();
        case "dense":
          return new LayerSpec.Dense(f.integer(o, at, "units"), !o.has("bias") || o.get("bias").getAsBoolean());
        case "dropout":
          return new LayerSpec.Dropout(f.required(o, at, "rate").getAsDouble());
        default:
          throw new ModelPackageException(
              source + ": unknown layer type \"" + type + "\" at layers[" + index + "]. Supported: "
                  + String.join(", ", LAYER_TYPES));
      }
    } catch (ModelPackageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ModelPackageException(
          source + ": layers[" + index + "] (" + type + ") is invalid: " + e.getMessage(), e);
    }
  }

  private static JsonObject provenance(ModelProvenance p) {
    JsonObject o = new JsonObject();
    o.addProperty(ModelProvenance.KEY_SOURCE, p.source());
    o.addProperty(ModelProvenance.KEY_TRAINED_AT, p.trainedAt());
    o.addProperty(ModelProvenance.KEY_EMOTION4J_VERSION, p.emotion4jVersion());
    o.addProperty(ModelProvenance.KEY_BACKEND, p.backend());
    o.addProperty(ModelProvenance.KEY_ENGINE, p.engine());
    o.addProperty(ModelProvenance.KEY_ENGINE_VERSION, p.engineVersion());
    o.addProperty(ModelProvenance.KEY_JAVA_VERSION, p.javaVersion());
    o.addProperty(ModelProvenance.KEY_OS_NAME, p.osName());
    o.addProperty(ModelProvenance.KEY_OS_ARCH, p.osArch());
    o.add(ModelProvenance.KEY_DATASET, GSON.toJsonTree(p.dataset()));
    o.add(ModelProvenance.KEY_TRAINING, GSON.toJsonTree(p.training()));
    o.add(ModelProvenance.KEY_METRICS, GSON.toJsonTree(p.metrics()));
    if (!p.externalSha256().isEmpty()) {
      o.addProperty(ModelProvenance.KEY_EXTERNAL_SHA256, p.externalSha256());
    }
    return o;
  }

  private static ModelProvenance provenance(JsonObject o) {
    return new ModelProvenance(
        str(o, ModelProvenance.KEY_SOURCE), str(o, ModelProvenance.KEY_TRAINED_AT),
        str(o, ModelProvenance.KEY_EMOTION4J_VERSION), str(o, ModelProvenance.KEY_BACKEND),
        str(o, ModelProvenance.KEY_ENGINE), str(o, ModelProvenance.KEY_ENGINE_VERSION),
        str(o, ModelProvenance.KEY_JAVA_VERSION), str(o, ModelProvenance.KEY_OS_NAME),
        str(o, ModelProvenance.KEY_OS_ARCH), tree(o, ModelProvenance.KEY_DATASET),
        tree(o, ModelProvenance.KEY_TRAINING), tree(o, ModelProvenance.KEY_METRICS),
        str(o, ModelProvenance.KEY_EXTERNAL_SHA256));
  }

  private static Map<String, Object> tree(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonObject() ? GSON.fromJson(o.get(key), TREE) : Map.of();
  }

  private static String str(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
  }

  private static int intOr(JsonObject o, String key, int fallback) {
    return o.has(key) ? o.get(key).getAsInt() : fallback;
  }

  private static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
