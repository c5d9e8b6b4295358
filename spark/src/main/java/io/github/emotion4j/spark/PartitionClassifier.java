package io.github.emotion4j.spark;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.face.FaceEmotionAnalyzer;
import io.github.emotion4j.face.FaceResult;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Classifies one partition lazily, {@code batchSize} rows at a time, with this JVM's shared
 * classifier; appends the result columns to each row. An image that cannot be read or decoded gets
 * its message in the error column and bumps the bad-image counter; nothing is thrown for it.
 */
final class PartitionClassifier implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ClassifierSpec spec;
  private final int inputIndex;
  private final boolean inputIsBinary;
  private final int nameIndex;
  private final ResultColumns columns;
  private final String modelName;
  private final String modelVersion;
  private final LongAccumulator badImages;

  PartitionClassifier(ClassifierSpec spec, int inputIndex, boolean inputIsBinary, int nameIndex,
      ResultColumns columns, String modelName, String modelVersion, LongAccumulator badImages) {
    this.spec = spec;
    this.inputIndex = inputIndex;
    this.inputIsBinary = inputIsBinary;
    this.nameIndex = nameIndex;
    this.columns = columns;
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.badImages = badImages;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    EmotionClassifier classifier = ExecutorClassifiers.get(spec);
    FaceEmotionAnalyzer analyzer = columns.faces() ? ExecutorClassifiers.analyzer(spec) : null;
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    int batchSize = spec.batchSize();
    return new Iterator<>() {
      private Iterator<Row> batch = List.<Row>of().iterator();
      private Configuration hadoopConf;

      @Override
      public boolean hasNext() {
        while (!batch.hasNext() && rows.hasNext()) {
          List<Row> in = new ArrayList<>(batchSize);
          while (in.size() < batchSize && rows.hasNext()) {
            in.add(rows.next());
          }
          batch = classifyBatch(classifier, analyzer, decoder, in).iterator();
        }
        return batch.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch.next();
      }

      private byte[] read(String path) throws IOException {
        if (hadoopConf == null) {
          hadoopConf = new Configuration();
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = p.getFileSystem(hadoopConf);
        try (InputStream in = fs.open(p)) {
          return in.readAllBytes();
        }
      }

      private List<Row> classifyBatch(EmotionClassifier c, FaceEmotionAnalyzer a, ImageDecoder d,
          List<Row> in) {
        int n = in.size();
        BufferedImage[] images = new BufferedImage[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
          Row row = in.get(i);
          String source = nameIndex >= 0 && !row.isNullAt(nameIndex)
              ? String.valueOf(row.get(nameIndex)) : "in row " + i + " of its batch";
          try {
            if (row.isNullAt(inputIndex)) {
              throw new InvalidImageException("Image " + source + " is missing (null input)");
            }
            byte[] bytes = inputIsBinary ? (byte[]) row.get(inputIndex) : read(row.getString(inputIndex));
            images[i] = d.decode(bytes, source);
          } catch (IOException | RuntimeException e) {
            errors[i] = message(e);
          }
        }
        EmotionScores[] scores = new EmotionScores[n];
        @SuppressWarnings("unchecked")
        List<FaceResult>[] found = new List[n];
        if (a != null) { // the analyzer batches each photo's faces
          for (int i = 0; i < n; i++) {
            if (images[i] != null) {
              try {
                found[i] = a.analyze(images[i]);
              } catch (RuntimeException e) {
                errors[i] = message(e);
              }
            }
          }
        } else {
          classifyImages(c, images, scores, errors);
        }
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          if (errors[i] != null && badImages != null) {
            badImages.add(1);
          }
          out.add(withResult(in.get(i), c.backend(), scores[i], found[i], errors[i]));
        }
        return out;
      }
    };
  }

  /** Classifies the decoded images in one call; if that fails, one by one to find the culprit. */
  private static void classifyImages(EmotionClassifier c, BufferedImage[] images,
      EmotionScores[] scores, String[] errors) {
    List<BufferedImage> good = new ArrayList<>(images.length);
    for (BufferedImage image : images) {
      if (image != null) {
        good.add(image);
      }
    }
    try {
      List<EmotionScores> out = c.classifyImages(good);
      for (int i = 0, j = 0; i < images.length; i++) {
        if (images[i] != null) {
          scores[i] = out.get(j++);
        }
      }
    } catch (RuntimeException batchFailure) {
      for (int i = 0; i < images.length; i++) {
        if (images[i] != null) {
          try {
            scores[i] = c.classify(images[i]);
          } catch (RuntimeException e) {
            errors[i] = message(e);
          }
        }
      }
    }
  }

  private static String message(Exception e) {
    return e instanceof InvalidImageException && e.getMessage() != null ? e.getMessage()
        : e.toString();
  }

  private Row withResult(Row row, String backend, EmotionScores scores, List<FaceResult> found,
      String error) {
    int base = row.length();
    Object[] values = new Object[base + columns.width() + 4];
    for (int i = 0; i < base; i++) {
      values[i] = row.get(i);
    }
    if (error == null) {
      columns.fill(values, base, scores, found);
    }
    int k = base + columns.width();
    values[k++] = backend;
    values[k++] = modelName;
    values[k++] = modelVersion;
    values[k] = error;
    return RowFactory.create(values);
  }
}
