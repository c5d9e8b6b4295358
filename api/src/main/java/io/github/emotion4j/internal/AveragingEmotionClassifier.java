package io.github.emotion4j.internal;

import io.github.emotion4j.Device;
import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.EmotionScores;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.model.ModelMetadata;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An ensemble: every member classifies, and the probabilities are averaged label by label. */
public final class AveragingEmotionClassifier implements EmotionClassifier {
  private final List<EmotionClassifier> members;

  /**
   * Takes over the members.
   *
   * @param members two or more classifiers with the same labels, closed with this one
   * @throws IllegalArgumentException if there are fewer than two or their labels differ
   */
  public AveragingEmotionClassifier(List<EmotionClassifier> members) {
    this.members = List.copyOf(members);
    if (this.members.size() < 2) {
      throw new IllegalArgumentException("an ensemble needs two or more classifiers, got " + this.members.size());
    }
    LabelSet labels = this.members.get(0).labels();
    for (EmotionClassifier m : this.members) {
      if (!m.labels().equals(labels)) {
        throw new IllegalArgumentException("cannot average " + describe(this.members.get(0)) + " (labels "
            + labels.labels() + ") with " + describe(m) + " (labels " + m.labels().labels()
            + "); view both with the same labels, e.g. builder().labels(LabelSet.PAPER_FOUR)");
      }
    }
  }

  private static String describe(EmotionClassifier c) {
    return c.model().name() + " " + c.model().version();
  }

  private EmotionScores average(Function<EmotionClassifier, EmotionScores> classify) {
    return averageAll(m -> List.of(classify.apply(m))).get(0);
  }

  private List<EmotionScores> averageAll(Function<EmotionClassifier, List<EmotionScores>> classify) {
    List<List<EmotionScores>> each = members.stream().map(classify).toList();
    List<EmotionScores> out = new ArrayList<>(each.get(0).size());
    for (int i = 0; i < each.get(0).size(); i++) {
      List<Double> sum = new ArrayList<>(each.get(0).get(i).probabilities());
      for (int m = 1; m < each.size(); m++) {
        List<Double> p = each.get(m).get(i).probabilities();
        for (int c = 0; c < sum.size(); c++) {
          sum.set(c, sum.get(c) + p.get(c));
        }
      }
      sum.replaceAll(v -> v / each.size());
      out.add(new EmotionScores(labels(), sum));
    }
    return List.copyOf(out);
  }

  @Override
  public EmotionScores classify(Path image) {
    return average(m -> m.classify(image));
  }

  @Override
  public EmotionScores classify(byte[] encodedImage) {
    return average(m -> m.classify(encodedImage));
  }

  @Override
  public EmotionScores classify(InputStream encodedImage) {
    try {
      return classify(encodedImage.readAllBytes()); // every member reads the same bytes
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the image stream", e);
    }
  }

  @Override
  public EmotionScores classify(BufferedImage image) {
    return average(m -> m.classify(image));
  }

  @Override
  public EmotionScores classify(BufferedImage image, FaceBox face) {
    return average(m -> m.classify(image, face));
  }

  @Override
  public List<EmotionScores> classifyFiles(List<Path> images) {
    return averageAll(m -> m.classifyFiles(images));
  }

  @Override
  public List<EmotionScores> classifyImages(List<BufferedImage> images) {
    return averageAll(m -> m.classifyImages(images));
  }

  @Override
  public LabelSet labels() {
    return members.get(0).labels();
  }

  /** The members' backends, e.g. {@code "native+onnxruntime"}. */
  @Override
  public String backend() {
    return members.stream().map(EmotionClassifier::backend).collect(Collectors.joining("+"));
  }

  /** The first member's device. */
  @Override
  public Device device() {
    return members.get(0).device();
  }

  /** The first member's model; {@link #members()} gives every member's. */
  @Override
  public ModelMetadata model() {
    return members.get(0).model();
  }

  /**
   * Returns the members, in the order given.
   *
   * @return the classifiers averaged
   */
  public List<EmotionClassifier> members() {
    return members;
  }

  /** Closes every member, even if one fails. */
  @Override
  public void close() {
    RuntimeException first = null;
    for (EmotionClassifier m : members) {
      try {
        m.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
