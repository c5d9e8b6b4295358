package io.github.emotion4j.spark;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionClassifierBuilder;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.ModelPackageException;
import io.github.emotion4j.model.ModelPackage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/**
 * What an executor needs to build its classifier; travels inside each task's closure. The model
 * itself travels as a broadcast zip, fetched once per executor JVM; {@link #key()} identifies the
 * classifier so that tasks of the same job (and of later jobs with the same model) share it.
 */
record ClassifierSpec(
    String backend,
    Device device,
    String modelKey,
    Broadcast<byte[]> modelZip,
    String labelsName,
    ArrayList<String> labels,
    int batchSize) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Identifies one classifier per JVM: same model bytes, backend, device, labels, batch size. */
  String key() {
    return modelKey + "|" + backend + "|" + device + "|" + labelsName + labels + "|" + batchSize;
  }

  /** Builds the classifier from the broadcast model; called once per executor JVM and key. */
  EmotionClassifier build() {
    ModelPackage model;
    try {
      model = ModelPackage.fromZip(new ByteArrayInputStream(modelZip.value()), modelKey);
    } catch (IOException e) {
      throw new ModelPackageException("Could not read broadcast model " + modelKey + ": " + e, e);
    }
    EmotionClassifierBuilder b = EmotionClassifier.builder()
        .model(model)
        .device(device)
        .batchSize(batchSize);
    if (backend != null) {
      b.backend(backend);
    }
    if (labels != null) {
      b.labels(new LabelSet(labelsName, List.copyOf(labels)));
    }
    return b.build();
  }
}
