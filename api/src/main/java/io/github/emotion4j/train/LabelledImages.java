package io.github.emotion4j.train;

import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.LabelSet;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.InputContract;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A labelled image set, preprocessed once with the shared pipeline and held in memory: images as
 * float tensors of one {@link InputContract}, labels as indices into a {@link LabelSet}. Immutable.
 *
 * <p>Images whose label is not in the label set are dropped (that is how the paper's four classes
 * are trained from FER2013's seven); unreadable files are skipped, counted and logged, never
 * silently.
 *
 * @since 0.1
 */
public final class LabelledImages {
  private static final Logger log = LoggerFactory.getLogger(LabelledImages.class);

  private final String name;
  private final LabelSet labels;
  private final InputContract input;
  private final float[][] images;
  private final int[] targets;
  private final List<String> skipped;
  private final String sha256;

  private LabelledImages(String name, LabelSet labels, InputContract input, float[][] images,
      int[] targets, List<String> skipped) {
    this.name = name;
    this.labels = labels;
    this.input = input;
    this.images = images;
    this.targets = targets;
    this.skipped = List.copyOf(skipped);
    this.sha256 = hash(images, targets);
  }

  /**
   * Reads a folder-per-label layout, {@code <root>/<label>/*.(jpg|png|bmp|gif)}; folder names are
   * mapped with {@link LabelSet#canonical(String)}, and folders of other labels are dropped.
   *
   * @param root the root folder
   * @param labels the labels to keep, in output order
   * @param input the input contract to preprocess to
   * @return the images
   * @throws UncheckedIOException if the folder cannot be listed
   * @throws IllegalArgumentException if no image of the wanted labels is found
   */
  public static LabelledImages fromFolder(Path root, LabelSet labels, InputContract input) {
    List<Path> files = new ArrayList<>();
    List<Integer> fileLabels = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        Optional<Integer> label = labels.indexOf(dir.getFileName().toString());
        if (label.isEmpty()) {
          log.info("Dropping folder {}: its label is not in {}", dir, labels.labels());
          continue;
        }
        try (Stream<Path> images = Files.list(dir)) {
          for (Path f : images.filter(Files::isRegularFile).sorted().toList()) {
            files.add(f);
            fileLabels.add(label.get());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list the labelled folder " + root, e);
    }
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ImagePreprocessor pre = new ImagePreprocessor(input);
    float[][] images = new float[files.size()][];
    List<String> skipped = new ArrayList<>();
    // decoding dominates: spread it over the cores, in a fixed order of results
    java.util.stream.IntStream.range(0, files.size()).parallel().forEach(i -> {
      try {
        images[i] = pre.preprocess(decoder.decode(files.get(i)));
      } catch (InvalidImageException e) {
        synchronized (skipped) {
          skipped.add(e.getMessage());
        }
      }
    });
    return collect(root.toString(), labels, input, images, fileLabels, skipped);
  }

  /**
   * Reads the FER2013 CSV layout ({@code emotion,pixels,Usage}: label index 0-6 in FER2013's order,
   * 2304 space-separated grey levels, and the split).
   *
   * @param csv the CSV file
   * @param usage the split to keep ({@code Training}, {@code PublicTest}, {@code PrivateTest}), or
   *     null for all rows
   * @param labels the labels to keep
   * @param input the input contract to preprocess to
   * @return the images
   */
  public static LabelledImages fromFer2013Csv(Path csv, String usage, LabelSet labels, InputContract input) {
    ImagePreprocessor pre = new ImagePreprocessor(input);
    List<float[]> images = new ArrayList<>();
    List<Integer> fileLabels = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.trim().toLowerCase(java.util.Locale.ROOT).startsWith("emotion,pixels")) {
        throw new IllegalArgumentException(csv + " is not a FER2013 CSV: its header is " + header);
      }
      String line;
      int row = 1;
      while ((line = in.readLine()) != null) {
        row++;
        String[] cols = line.split(",");
        try {
          if (usage != null && (cols.length < 3 || !cols[2].trim().equals(usage))) {
            continue;
          }
          String label = LabelSet.FER2013.get(Integer.parseInt(cols[0].trim()));
          Optional<Integer> index = labels.indexOf(label);
          if (index.isEmpty()) {
            continue;
          }
          String[] pixels = cols[1].trim().split(" ");
          if (pixels.length != 48 * 48) {
            throw new IllegalArgumentException(pixels.length + " pixels instead of 2304");
          }
          BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
          byte[] raster = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
          for (int i = 0; i < pixels.length; i++) {
            raster[i] = (byte) Integer.parseInt(pixels[i]);
          }
          images.add(pre.preprocess(img));
          fileLabels.add(index.get());
        } catch (RuntimeException e) {
          skipped.add(csv + " row " + row + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + csv, e);
    }
    return collect(csv + (usage == null ? "" : "#" + usage), labels, input,
        images.toArray(new float[0][]), fileLabels, skipped);
  }

  private static LabelledImages collect(String name, LabelSet labels, InputContract input,
      float[][] all, List<Integer> allLabels, List<String> skipped) {
    List<float[]> kept = new ArrayList<>();
    List<Integer> keptLabels = new ArrayList<>();
    for (int i = 0; i < all.length; i++) {
      if (all[i] != null) {
        kept.add(all[i]);
        keptLabels.add(allLabels.get(i));
      }
    }
    if (!skipped.isEmpty()) {
      log.warn("Skipped {} unreadable images in {}; first: {}", skipped.size(), name, skipped.get(0));
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(
          "No readable image of the labels " + labels.labels() + " in " + name);
    }
    return new LabelledImages(name, labels, input, kept.toArray(new float[0][]),
        keptLabels.stream().mapToInt(Integer::intValue).toArray(), skipped);
  }

  /**
   * Splits off a validation set, stratified and deterministic: the same seed gives the same split.
   *
   * @param validationFraction the share of each label that goes to validation, in (0, 1)
   * @param seed the seed
   * @return the training part (index 0) and the validation part (index 1)
   */
  public List<LabelledImages> split(double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (int label = 0; label < labels.size(); label++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < targets.length; i++) {
        if (targets[i] == label) {
          idx.add(i);
        }
      }
      for (int i = idx.size() - 1; i > 0; i--) { // Fisher-Yates with our seed
        int j = random.nextInt(i + 1);
        Integer t = idx.get(i);
        idx.set(i, idx.get(j));
        idx.set(j, t);
      }
      int nVal = (int) Math.round(idx.size() * validationFraction);
      val.addAll(idx.subList(0, nVal));
      train.addAll(idx.subList(nVal, idx.size()));
    }
    return List.of(subset(name + "#train", train), subset(name + "#val", val));
  }

  /**
   * Returns the first {@code n} images of each label, in their order: a small balanced subset.
   *
   * @param n images per label at most
   * @return the subset
   */
  public LabelledImages firstPerLabel(int n) {
    int[] taken = new int[labels.size()];
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < targets.length; i++) {
      if (taken[targets[i]]++ < n) {
        idx.add(i);
      }
    }
    return subset(name + "#first" + n, idx);
  }

  private LabelledImages subset(String subsetName, List<Integer> idx) {
    float[][] imgs = new float[idx.size()][];
    int[] t = new int[idx.size()];
    for (int i = 0; i < idx.size(); i++) {
      imgs[i] = images[idx.get(i)];
      t[i] = targets[idx.get(i)];
    }
    return new LabelledImages(subsetName, labels, input, imgs, t, List.of());
  }

  /**
   * Returns the number of images.
   *
   * @return the size
   */
  public int size() {
    return targets.length;
  }

  /**
   * Returns a copy of one preprocessed image.
   *
   * @param i the index
   * @return {@code channels × height × width} values
   */
  public float[] image(int i) {
    return images[i].clone();
  }

  /**
   * Copies one preprocessed image into a batch array, without allocating.
   *
   * @param i the index
   * @param out the batch array
   * @param offset where to write
   */
  public void copyImage(int i, float[] out, int offset) {
    System.arraycopy(images[i], 0, out, offset, images[i].length);
  }

  /**
   * Returns one image's label index.
   *
   * @param i the index
   * @return the label index into {@link #labels()}
   */
  public int label(int i) {
    return targets[i];
  }

  /**
   * Returns the images per label, in label order.
   *
   * @return the counts
   */
  public int[] counts() {
    int[] c = new int[labels.size()];
    for (int t : targets) {
      c[t]++;
    }
    return c;
  }

  /**
   * Returns the labels.
   *
   * @return the label set
   */
  public LabelSet labels() {
    return labels;
  }

  /**
   * Returns the input contract the images were preprocessed to.
   *
   * @return the contract
   */
  public InputContract input() {
    return input;
  }

  /**
   * Returns where the images came from.
   *
   * @return the folder, CSV or subset name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the messages of the files that could not be read.
   *
   * @return one message per skipped file
   */
  public List<String> skipped() {
    return skipped;
  }

  /**
   * Returns a sha256 over the preprocessed images and labels: the data set's identity by content.
   *
   * @return 64 hex digits
   */
  public String sha256() {
    return sha256;
  }

  /**
   * Describes the set for provenance: name, size, per-label counts, skipped count and hash.
   *
   * @return a JSON-ready map
   */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("images", size());
    Map<String, Object> counts = new LinkedHashMap<>();
    int[] c = counts();
    for (int i = 0; i < c.length; i++) {
      counts.put(labels.get(i), c[i]);
    }
    m.put("per-label", counts);
    m.put("skipped", skipped.size());
    m.put("sha256", sha256);
    return m;
  }

  private static String hash(float[][] images, int[] targets) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(4 * (images.length == 0 ? 1 : images[0].length + 1));
      for (int i = 0; i < images.length; i++) {
        buf.clear();
        buf.putInt(targets[i]);
        for (float f : images[i]) {
          buf.putFloat(f);
        }
        md.update(buf.array(), 0, buf.position());
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return name + " (" + size() + " images, " + Arrays.toString(counts()) + ")";
  }

}
