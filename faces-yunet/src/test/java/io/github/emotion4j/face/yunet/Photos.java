package io.github.emotion4j.face.yunet;

import io.github.emotion4j.FaceBox;
import io.github.emotion4j.testing.TestData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Test photos: the face crops, crops padded onto a background, composed photos and face-free images. */
final class Photos {
  private Photos() {}

  /** A face crop placed into a photo: where it went and at what scale. */
  record Placed(Path source, BufferedImage crop, FaceBox rect, double scale) {}

  /** A composed photo and the crops in it. */
  record Composed(BufferedImage photo, List<Placed> faces) {}

  /** Every crop of faces-other-source, sorted by name. */
  static List<Path> crops() {
    try (Stream<Path> files = Files.list(TestData.otherFaces())) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedImage read(Path file) {
    try {
      BufferedImage img = ImageIO.read(file.toFile());
      if (img == null) {
        throw new IllegalStateException("not an image: " + file);
      }
      return img;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The crop in the middle of a background twice its size (mid-grey noise), as a photo would frame it. */
  static BufferedImage padded(BufferedImage crop, long seed) {
    int w = crop.getWidth() * 2;
    int h = crop.getHeight() * 2;
    BufferedImage out = background(w, h, seed, false);
    Graphics2D g = out.createGraphics();
    g.drawImage(crop, crop.getWidth() / 2, crop.getHeight() / 2, null);
    g.dispose();
    return out;
  }

  /** Where {@link #padded} put the crop. */
  static FaceBox paddedRect(BufferedImage crop) {
    return new FaceBox(crop.getWidth() / 2, crop.getHeight() / 2, crop.getWidth(), crop.getHeight());
  }

  /**
   * A noisy colour gradient of the given size.
   *
   * @param strongNoise true for full-range pixel noise, false for a soft gradient with mild noise
   */
  static BufferedImage background(int w, int h, long seed, boolean strongNoise) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int r0 = r.nextInt(40, 200);
    int g0 = r.nextInt(40, 200);
    int b0 = r.nextInt(40, 200);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double t = (x / (double) w + y / (double) h) / 2;
        int n = strongNoise ? r.nextInt(-100, 101) : r.nextInt(-12, 13);
        int rr = clamp((int) (r0 + 50 * t) + n);
        int gg = clamp((int) (g0 - 40 * t) + n);
        int bb = clamp((int) (b0 + 30 * (1 - t)) + n);
        out.setRGB(x, y, (rr << 16) | (gg << 8) | bb);
      }
    }
    return out;
  }

  /** A texture with no face: overlapping sine stripes and blobs at several scales. */
  static BufferedImage texture(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] waves = new double[6][];
    for (int i = 0; i < waves.length; i++) {
      waves[i] = new double[] {r.nextDouble(0.005, 0.08), r.nextDouble(0, Math.PI), r.nextDouble(0, 6.3)};
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0;
        for (double[] wv : waves) {
          v += Math.sin(wv[0] * (x * Math.cos(wv[1]) + y * Math.sin(wv[1])) + wv[2]);
        }
        int g = clamp((int) (128 + 20 * v));
        out.setRGB(x, y, (clamp(g + 30) << 16) | (g << 8) | clamp(g - 20));
      }
    }
    return out;
  }

  /**
   * Places crops on a w x h noisy gradient at random, non-overlapping positions, each resized so
   * that its longer side is between minSide and maxSide (both 0: kept at its own size).
   */
  static Composed compose(int w, int h, List<Path> crops, int minSide, int maxSide, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage photo = background(w, h, seed, false);
    Graphics2D g = photo.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    List<Placed> placed = new ArrayList<>();
    for (Path p : crops) {
      BufferedImage crop = read(p);
      int own = Math.max(crop.getWidth(), crop.getHeight());
      int side = maxSide <= 0 ? own : minSide == maxSide ? minSide : r.nextInt(minSide, maxSide + 1);
      double scale = side / (double) Math.max(crop.getWidth(), crop.getHeight());
      int cw = (int) Math.round(crop.getWidth() * scale);
      int ch = (int) Math.round(crop.getHeight() * scale);
      FaceBox rect = null;
      for (int attempt = 0; attempt < 500 && rect == null; attempt++) {
        FaceBox c = new FaceBox(r.nextInt(0, w - cw + 1), r.nextInt(0, h - ch + 1), cw, ch);
        if (placed.stream().noneMatch(q -> overlaps(q.rect(), c, 8))) {
          rect = c;
        }
      }
      if (rect == null) {
        throw new IllegalStateException("no room for " + p.getFileName() + " in a " + w + "x" + h + " photo");
      }
      g.drawImage(crop, rect.x(), rect.y(), cw, ch, null);
      placed.add(new Placed(p, crop, rect, scale));
    }
    g.setColor(Color.BLACK);
    g.dispose();
    return new Composed(photo, List.copyOf(placed));
  }

  /** The same background as {@link #compose} with the same size and seed, holding only one of its faces. */
  static BufferedImage only(int w, int h, long seed, Placed p) {
    BufferedImage photo = background(w, h, seed, false);
    Graphics2D g = photo.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(p.crop(), p.rect().x(), p.rect().y(), p.rect().width(), p.rect().height(), null);
    g.dispose();
    return photo;
  }

  private static boolean overlaps(FaceBox a, FaceBox b, int gap) {
    return a.x() < b.x() + b.width() + gap && b.x() < a.x() + a.width() + gap
        && a.y() < b.y() + b.height() + gap && b.y() < a.y() + a.height() + gap;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
