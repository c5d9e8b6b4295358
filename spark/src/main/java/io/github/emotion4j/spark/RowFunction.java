package io.github.emotion4j.spark;

import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;

/** The Spark SQL function: one image per call, with this JVM's shared classifier. */
final class RowFunction implements UDF1<byte[], Row> {
  private static final long serialVersionUID = 1L;
  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);

  private final ClassifierSpec spec;
  private final int labelCount;

  RowFunction(ClassifierSpec spec, int labelCount) {
    this.spec = spec;
    this.labelCount = labelCount;
  }

  @Override
  public Row call(byte[] image) {
    Object[] values = new Object[labelCount + 2];
    try {
      if (image == null) {
        throw new InvalidImageException("Image is missing (null input)");
      }
      EmotionScores s = ExecutorClassifiers.get(spec).classify(DECODER.decode(image, "(bytes)"));
      values[0] = s.top().label();
      for (int i = 0; i < labelCount; i++) {
        values[1 + i] = s.probabilities().get(i);
      }
    } catch (InvalidImageException e) {
      values[labelCount + 1] = e.getMessage();
    }
    return RowFactory.create(values);
  }
}
