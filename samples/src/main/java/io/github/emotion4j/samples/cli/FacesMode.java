package io.github.emotion4j.samples.cli;

import io.github.emotion4j.EmotionClassifier;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.InvalidImageException;
import io.github.emotion4j.ScoredLabel;
import io.github.emotion4j.face.FaceEmotionAnalyzer;
import io.github.emotion4j.face.FaceResult;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.internal.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** {@code classify --faces}: detect every face in each photo, classify each, optionally draw them. */
final class FacesMode {
  private FacesMode() {}

  /** How each face is printed. */
  enum Format {
    /** One line of text per face. */
    TEXT,
    /** One JSON object per face. */
    JSON,
    /** CSV with a header: file, face, box, detector confidence, top label, one column per label. */
    CSV
  }

  /**
   * Detects, classifies and prints every face of each file: one line (or JSON object) per face,
   * {@code <file>: no face found} for a photo without one.
   *
   * @param options the classifier options
   * @param files the photos
   * @param drawDir where to write {@code <name>-faces.png} copies with boxes and labels, or null
   * @param minFaceSize the smallest face side in pixels
   * @param margin the margin added around each box, as a fraction of its size
   * @param format text, JSON or CSV
   * @return 0, or 1 when no file could be read
   * @throws IOException if a drawing cannot be written
   */
  static int run(ClassifierOptions options, List<Path> files, Path drawDir, int minFaceSize,
      double margin, Format format) throws IOException {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    int failed = 0;
    try (EmotionClassifier classifier = options.builder().build();
        FaceEmotionAnalyzer analyzer = FaceEmotionAnalyzer.builder(classifier)
            .minFaceSize(minFaceSize).margin(margin).build()) {
      if (format == Format.CSV) {
        System.out.println("file,face,x,y,width,height,confidence,top," + String.join(",", classifier.labels().labels()));
      }
      for (Path f : files) {
        try {
          BufferedImage photo = decoder.decode(f); // upright, so boxes line up with what is drawn
          List<FaceResult> results = analyzer.analyze(photo);
          print(f, results, format);
          if (drawDir != null) {
            draw(photo, results, drawDir.resolve(stem(f) + "-faces.png"));
          }
        } catch (InvalidImageException e) {
          failed++;
          System.err.println("skipped: " + e.getMessage());
        }
      }
    }
    if (failed > 0) {
      System.err.printf("%d of %d images could not be read%n", failed, files.size());
    }
    return failed == files.size() ? 1 : 0;
  }

  private static void print(Path f, List<FaceResult> results, Format format) {
    if (results.isEmpty() && format == Format.TEXT) {
      System.out.println(f + ": no face found");
    }
    for (int i = 0; i < results.size(); i++) {
      FaceResult r = results.get(i);
      FaceBox b = r.box();
      ScoredLabel top = r.scores().top();
      if (format == Format.CSV) {
        StringBuilder sb = new StringBuilder(csvField(f.toString())).append(String.format(Locale.ROOT,
            ",%d,%d,%d,%d,%d,%.4f,%s", i, b.x(), b.y(), b.width(), b.height(), r.confidence(), top.label()));
        for (double p : r.scores().probabilities()) {
          sb.append(String.format(Locale.ROOT, ",%.6f", p));
        }
        System.out.println(sb);
      } else if (format == Format.JSON) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
            "{\"file\":\"%s\",\"face\":%d,\"box\":[%d,%d,%d,%d],\"confidence\":%.4f,\"top\":\"%s\",\"scores\":{",
            f.toString().replace("\\", "\\\\").replace("\"", "\\\""), i, b.x(), b.y(), b.width(), b.height(),
            r.confidence(), top.label()));
        List<String> labels = r.scores().labels().labels();
        for (int j = 0; j < labels.size(); j++) {
          sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.6f", labels.get(j),
              r.scores().probabilities().get(j)));
        }
        System.out.println(sb.append("}}"));
      } else {
        System.out.printf(Locale.ROOT, "%s: face %d at [%d,%d %dx%d] %s (%.1f%%), detector confidence %.2f%n",
            f, i, b.x(), b.y(), b.width(), b.height(), top.label(), 100 * top.probability(), r.confidence());
      }
    }
  }

  /** Quotes a CSV field when it holds a comma, quote or line break. */
  static String csvField(String value) {
    return value.matches("[^,\"\r\n]*") ? value : "\"" + value.replace("\"", "\"\"") + "\"";
  }

  private static void draw(BufferedImage photo, List<FaceResult> results, Path target) throws IOException {
    BufferedImage canvas = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    g.drawImage(photo, 0, 0, null);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    int stroke = Math.max(2, photo.getWidth() / 300);
    g.setStroke(new BasicStroke(stroke));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, photo.getWidth() / 50)));
    for (FaceResult r : results) {
      FaceBox b = r.box();
      ScoredLabel top = r.scores().top();
      g.setColor(Color.GREEN);
      g.drawRect(b.x(), b.y(), b.width(), b.height());
      String text = String.format(Locale.ROOT, "%s %.0f%%", top.label(), 100 * top.probability());
      int h = g.getFontMetrics().getHeight();
      int w = g.getFontMetrics().stringWidth(text);
      int y = Math.max(h, b.y());
      g.fillRect(b.x(), y - h, w + 6, h);
      g.setColor(Color.BLACK);
      g.drawString(text, b.x() + 3, y - g.getFontMetrics().getDescent());
    }
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(canvas, "png", png);
    Files.createDirectories(target.toAbsolutePath().getParent());
    AtomicFiles.write(target, png.toByteArray());
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
