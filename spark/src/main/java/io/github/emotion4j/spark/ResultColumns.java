package io.github.emotion4j.spark;

import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.face.FaceResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The classification columns — {@value EmotionSpark#EMOTION}, one {@value
 * EmotionSpark#PROBABILITY_PREFIX}{@code <label>} per label and, when faces are found, {@value
 * EmotionSpark#FACES} — and the values one image gives them. Shared by the transform and the SQL
 * function so that both name and fill them alike.
 */
final class ResultColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArrayList<String> labels;
  private final boolean faces;

  ResultColumns(List<String> labels, boolean faces) {
    this.labels = new ArrayList<>(labels);
    this.faces = faces;
  }

  /** Returns whether each image is searched for faces first. */
  boolean faces() {
    return faces;
  }

  /** Returns the schema with the classification columns appended. */
  StructType appendTo(StructType schema) {
    StructType out = withScores(schema.add(EmotionSpark.EMOTION, DataTypes.StringType, true));
    if (faces) {
      out = out.add(EmotionSpark.FACES, DataTypes.createArrayType(faceType(), false), true);
    }
    return out;
  }

  /** One face: its box in the image's pixels, the detector's confidence, its label and scores. */
  private StructType faceType() {
    return withScores(new StructType()
        .add("x", DataTypes.IntegerType, false)
        .add("y", DataTypes.IntegerType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("height", DataTypes.IntegerType, false)
        .add("confidence", DataTypes.DoubleType, false)
        .add(EmotionSpark.EMOTION, DataTypes.StringType, false));
  }

  private StructType withScores(StructType t) {
    for (String label : labels) {
      t = t.add(EmotionSpark.PROBABILITY_PREFIX + label, DataTypes.DoubleType, true);
    }
    return t;
  }

  /** Returns how many columns {@link #appendTo} adds. */
  int width() {
    return 1 + labels.size() + (faces ? 1 : 0);
  }

  /**
   * Writes one image's values from {@code values[from]} on. Without faces, {@code scores} is the
   * image's; with faces, {@code found} lists them largest first and the top-level columns are the
   * largest face's. An image that failed (both null) leaves every column null.
   */
  void fill(Object[] values, int from, EmotionScores scores, List<FaceResult> found) {
    EmotionScores top = faces && found != null && !found.isEmpty() ? found.get(0).scores() : scores;
    if (top != null) {
      putScores(values, from, top);
    }
    if (faces && found != null) {
      List<Row> rows = new ArrayList<>(found.size());
      for (FaceResult f : found) {
        Object[] face = new Object[5 + 1 + labels.size()];
        FaceBox b = f.box();
        face[0] = b.x();
        face[1] = b.y();
        face[2] = b.width();
        face[3] = b.height();
        face[4] = f.confidence();
        putScores(face, 5, f.scores());
        rows.add(RowFactory.create(face));
      }
      values[from + 1 + labels.size()] = scala.jdk.javaapi.CollectionConverters.asScala(rows).toSeq();
    }
  }

  private void putScores(Object[] values, int from, EmotionScores s) {
    values[from] = s.top().label();
    for (int l = 0; l < labels.size(); l++) {
      values[from + 1 + l] = s.probabilities().get(l);
    }
  }
}
