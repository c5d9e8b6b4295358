package io.github.emotion4j.spark;

import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.face.FaceDetectionException;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import java.awt.image.BufferedImage;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;

/** The Spark SQL function: one image per call, with this JVM's shared classifier. */
final class RowFunction implements UDF1<byte[], Row> {
  private static final long serialVersionUID = 1L;
  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);

  private final ClassifierSpec spec;
  private final ResultColumns columns;

  RowFunction(ClassifierSpec spec, ResultColumns columns) {
    this.spec = spec;
    this.columns = columns;
  }

  @Override
  public Row call(byte[] image) {
    Object[] values = new Object[columns.width() + 1];
    try {
      if (image == null) {
        throw new InvalidImageException("Image is missing (null input)");
      }
      BufferedImage decoded = DECODER.decode(image, "(bytes)");
      if (columns.faces()) {
        columns.fill(values, 0, null, ExecutorClassifiers.analyzer(spec).analyze(decoded));
      } else {
        columns.fill(values, 0, ExecutorClassifiers.get(spec).classify(decoded), null);
      }
    } catch (InvalidImageException | FaceDetectionException e) {
      values[columns.width()] = e.getMessage();
    }
    return RowFactory.create(values);
  }
}
