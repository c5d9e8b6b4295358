/*
 * Off-domain neutral analysis (issue #18): why the bundled fer2013-vgg-bn model reads neutral faces
 * from faces-other-source as angry/sad, measured by evaluating the model under alternative
 * inference transforms (framing, photometry, gray conversion, resampling, blur, JPEG) on
 * faces-other-source and on 500 FER2013 val images (a fixed, seeded sample; FER2013 test is never
 * read).
 *
 * Single-file program, run from the repository root (see run.sh):
 *   java -XX:ActiveProcessorCount=1 --add-modules jdk.incubator.vector -Dai.djl.offline=true \
 *        -cp "samples/target/lib/*" training/offdomain/Offdomain.java <mode> [out-dir]
 * modes: stats (dataset statistics, mean faces, framing fit), eval (all variants), montage.
 */

import io.github.emotion4j.Device;
import io.github.emotion4j.image.ImageDecoder;
import io.github.emotion4j.image.ImageLimits;
import io.github.emotion4j.image.ImagePreprocessor;
import io.github.emotion4j.model.InputContract;
import io.github.emotion4j.model.ModelPackage;
import io.github.emotion4j.spi.EmotionBackend;
import io.github.emotion4j.spi.InputBatch;
import io.github.emotion4j.spi.RunnableNetwork;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

public class Offdomain {
  static final String[] L7 = {"angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"};
  /** The paper's four, as indices into L7, in report order. */
  static final int[] FOUR = {3, 4, 5, 0};
  static final String[] FOUR_NAMES = {"happy", "neutral", "sad", "angry"};
  static final int S = 48;
  static final Path DATA = Path.of(System.getProperty("datasets", "../shared/datasets"));
  static final int VAL_N = 500;
  static final long SEED = 18;

  record Sample(String name, int label, BufferedImage image) {}

  /** Geometry + gray + resize settings; the photometric post-step is separate. */
  record Geo(double scale, double dy, String fill, String resize, String gray) {
    static final Geo BASE = new Geo(1.0, 0.0, "edge", "area", "601");
  }

  /** A transform; neutralBias (added to the neutral logit) and flipTta are diagnostics, not fixes. */
  record Variant(String group, String name, Geo geo, UnaryOperator<float[]> post, double neutralBias, boolean flipTta) {
    Variant(String group, String name, Geo geo, UnaryOperator<float[]> post) {
      this(group, name, geo, post, 0, false);
    }
  }

  static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.DEFAULT);
  // Target statistics for standardisation: FER2013 *train* sample (set in main).
  static double targetMean = 0.5;
  static double targetStd = 0.25;

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    String mode = args.length > 0 ? args[0] : "eval";
    Path out = Path.of(args.length > 1 ? args[1] : "training/offdomain/out");
    Files.createDirectories(out);
    List<Sample> other = loadOther();
    List<Sample> val = loadFer("val", VAL_N, SEED);
    List<Sample> train = loadFer("train", 2000, SEED);
    double[] ts = meanStd(train, Geo.BASE);
    targetMean = ts[0];
    targetStd = ts[1];
    System.out.printf("FER2013 train sample (2000): mean of per-image mean %.4f, mean of per-image std %.4f%n",
        targetMean, targetStd);
    switch (mode) {
      case "stats" -> stats(other, val, train, out);
      case "montage" -> montage(other, val, out);
      case "perimage" -> perImage(other, val, train, out);
      case "eval" -> eval(other, val, out, args.length > 2 ? args[2] : null);
      default -> throw new IllegalArgumentException(mode);
    }
  }

  // ---------------------------------------------------------------- data

  static List<Sample> loadOther() throws IOException {
    Path dir = DATA.resolve("faces-other-source");
    List<Sample> list = new ArrayList<>();
    List<String> lines = Files.readAllLines(dir.resolve("labels.csv"));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      Path p = dir.resolve("images").resolve(f[0].trim());
      list.add(new Sample(f[0].trim(), otherLabel(f[1].trim()), DECODER.decode(p)));
    }
    return list;
  }

  static int otherLabel(String s) {
    return switch (s) {
      case "happiness" -> 3;
      case "neutral" -> 4;
      case "sadness" -> 5;
      case "anger" -> 0;
      case "surprise" -> 6;
      case "disgust" -> 1;
      case "fear" -> 2;
      default -> throw new IllegalArgumentException(s);
    };
  }

  static List<Sample> loadFer(String split, int n, long seed) throws IOException {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int l = 0; l < 7; l++) {
      try (Stream<Path> s = Files.list(DATA.resolve("fer2013").resolve(split).resolve(L7[l]))) {
        for (Path p : s.sorted().collect(Collectors.toList())) {
          files.add(p);
          labels.add(l);
        }
      }
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      idx.add(i);
    }
    Collections.shuffle(idx, new Random(seed));
    List<Sample> list = new ArrayList<>();
    for (int i : idx.subList(0, Math.min(n, idx.size()))) {
      list.add(new Sample(files.get(i).getFileName().toString(), labels.get(i), DECODER.decode(files.get(i))));
    }
    return list;
  }

  // ---------------------------------------------------------------- preprocessing

  /** The whole image as one [0, 1] luma plane. */
  static float[] gray(BufferedImage im, String mode) {
    int w = im.getWidth();
    int h = im.getHeight();
    float[] p = new float[w * h];
    if (im.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        im.getRaster().getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          p[y * w + x] = row[x] / 255f;
        }
      }
      return p;
    }
    int[] rgb = im.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      float r = ((rgb[i] >> 16) & 0xff) / 255f;
      float g = ((rgb[i] >> 8) & 0xff) / 255f;
      float b = (rgb[i] & 0xff) / 255f;
      p[i] = switch (mode) {
        case "601" -> 0.299f * r + 0.587f * g + 0.114f * b;
        case "709" -> 0.2126f * r + 0.7152f * g + 0.0722f * b;
        case "avg" -> (r + g + b) / 3f;
        case "linear" -> enc(0.2126 * dec(r) + 0.7152 * dec(g) + 0.0722 * dec(b));
        default -> throw new IllegalArgumentException(mode);
      };
    }
    return p;
  }

  static double dec(float v) {
    return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  }

  static float enc(double v) {
    return (float) (v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055);
  }

  /** Geometry, gray conversion and resize to a 48x48 [0, 1] plane. */
  static float[] geometry(BufferedImage im, Geo g) {
    int w = im.getWidth();
    int h = im.getHeight();
    float[] plane = gray(im, g.gray());
    // the project's centre crop at aspect 1
    int side;
    int x0;
    int y0;
    if (w > h) {
      side = h;
      x0 = (w - h) / 2;
      y0 = 0;
    } else {
      side = w;
      x0 = 0;
      y0 = (h - w) / 2;
    }
    int bs = Math.max(1, (int) Math.round(side * g.scale()));
    int bx = x0 + (side - bs) / 2;
    int by = y0 + (side - bs) / 2 + (int) Math.round(g.dy() * side);
    float fillValue = 0;
    if (g.fill().equals("mean")) {
      double s = 0;
      for (float v : plane) {
        s += v;
      }
      fillValue = (float) (s / plane.length);
    }
    float[] box = new float[bs * bs];
    for (int y = 0; y < bs; y++) {
      for (int x = 0; x < bs; x++) {
        int sx = bx + x;
        int sy = by + y;
        float v;
        if (sx >= 0 && sy >= 0 && sx < w && sy < h) {
          v = plane[sy * w + sx];
        } else if (g.fill().equals("edge")) {
          v = plane[Math.max(0, Math.min(h - 1, sy)) * w + Math.max(0, Math.min(w - 1, sx))];
        } else {
          v = fillValue; // black (0) or mean
        }
        box[y * bs + x] = v;
      }
    }
    return resize(box, bs, bs, S, S, g.resize());
  }

  static float[] resize(float[] src, int sw, int sh, int ow, int oh, String filter) {
    if (filter.startsWith("blurpre")) { // gaussian blur before area downscale (equivalent sigma at 48)
      double sigma48 = Double.parseDouble(filter.substring(7));
      src = blur(src, sw, sh, sigma48 * sw / (double) ow);
      filter = "area";
    }
    int[][] ct = new int[1][];
    float[][][] cw = new float[1][][];
    taps(sw, ow, filter, ct, cw);
    int[][] rt = new int[1][];
    float[][][] rw = new float[1][][];
    taps(sh, oh, filter, rt, rw);
    float[] tmp = new float[sh * ow];
    for (int y = 0; y < sh; y++) {
      for (int i = 0; i < ow; i++) {
        float acc = 0;
        for (int k = 0; k < cw[0][i].length; k++) {
          acc += cw[0][i][k] * src[y * sw + ct[0][i] + k];
        }
        tmp[y * ow + i] = acc;
      }
    }
    float[] out = new float[ow * oh];
    for (int x = 0; x < ow; x++) {
      for (int i = 0; i < oh; i++) {
        float acc = 0;
        for (int k = 0; k < rw[0][i].length; k++) {
          acc += rw[0][i][k] * tmp[(rt[0][i] + k) * ow + x];
        }
        out[i * ow + x] = acc;
      }
    }
    return out;
  }

  /** Same taps as the project's ImagePreprocessor.Resampler (area / bilinear), plus nearest. */
  static void taps(int in, int out, String filter, int[][] startOut, float[][][] wOut) {
    int[] start = new int[out];
    float[][] weights = new float[out][];
    double scale = in / (double) out;
    for (int i = 0; i < out; i++) {
      if (filter.equals("area") && in >= out) {
        double lo = i * scale;
        double hi = (i + 1) * scale;
        int first = (int) Math.floor(lo);
        int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
        float[] w = new float[last - first + 1];
        for (int j = first; j <= last; j++) {
          w[j - first] = (float) ((Math.min(hi, j + 1) - Math.max(lo, j)) / scale);
        }
        start[i] = first;
        weights[i] = w;
      } else if (filter.equals("nearest")) {
        start[i] = Math.min(in - 1, (int) Math.floor((i + 0.5) * scale));
        weights[i] = new float[] {1f};
      } else {
        double centre = (i + 0.5) * scale - 0.5;
        int j0 = (int) Math.floor(centre);
        double f = centre - j0;
        int a = Math.max(0, Math.min(in - 1, j0));
        int b = Math.max(0, Math.min(in - 1, j0 + 1));
        start[i] = a;
        weights[i] = a == b ? new float[] {1f} : new float[] {(float) (1 - f), (float) f};
      }
    }
    startOut[0] = start;
    wOut[0] = weights;
  }

  // ---------------------------------------------------------------- photometric post-steps (48x48)

  static double[] stat(float[] p) {
    double s = 0;
    double q = 0;
    for (float v : p) {
      s += v;
      q += v * v;
    }
    double m = s / p.length;
    return new double[] {m, Math.sqrt(Math.max(1e-12, q / p.length - m * m))};
  }

  static UnaryOperator<float[]> standardise(boolean clip) {
    return p -> {
      double[] ms = stat(p);
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        double v = (p[i] - ms[0]) / ms[1] * targetStd + targetMean;
        o[i] = (float) (clip ? Math.max(0, Math.min(1, v)) : v);
      }
      return o;
    };
  }

  /** Rescales contrast only (keeps the image's own mean): std -> target std. */
  static UnaryOperator<float[]> contrastOnly() {
    return p -> {
      double[] ms = stat(p);
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        o[i] = (float) Math.max(0, Math.min(1, (p[i] - ms[0]) / ms[1] * targetStd + ms[0]));
      }
      return o;
    };
  }

  /** Shifts brightness only (keeps the image's own std): mean -> target mean. */
  static UnaryOperator<float[]> brightnessOnly() {
    return p -> {
      double[] ms = stat(p);
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        o[i] = (float) Math.max(0, Math.min(1, p[i] - ms[0] + targetMean));
      }
      return o;
    };
  }

  static UnaryOperator<float[]> histEq() {
    return p -> {
      int[] hist = new int[256];
      int[] q = new int[p.length];
      for (int i = 0; i < p.length; i++) {
        q[i] = Math.max(0, Math.min(255, Math.round(p[i] * 255)));
        hist[q[i]]++;
      }
      int[] cdf = new int[256];
      int c = 0;
      int min = -1;
      for (int i = 0; i < 256; i++) {
        c += hist[i];
        cdf[i] = c;
        if (min < 0 && c > 0) {
          min = c;
        }
      }
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        o[i] = (cdf[q[i]] - min) / (float) Math.max(1, p.length - min);
      }
      return o;
    };
  }

  /** Scales contrast around the image's own mean by a fixed factor, clipped to [0, 1]. */
  static UnaryOperator<float[]> contrastScale(double f) {
    return p -> {
      double m = stat(p)[0];
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        o[i] = (float) Math.max(0, Math.min(1, (p[i] - m) * f + m));
      }
      return o;
    };
  }

  /** Unsharp mask: p + amount * (p - blur(p, sigma)), clipped to [0, 1]. */
  static UnaryOperator<float[]> unsharp(double sigma, double amount) {
    return p -> {
      float[] b = blur(p, S, S, sigma);
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        o[i] = (float) Math.max(0, Math.min(1, p[i] + amount * (p[i] - b[i])));
      }
      return o;
    };
  }

  /** Additive gaussian pixel noise, seeded by the image content (repeatable), clipped to [0, 1]. */
  static UnaryOperator<float[]> noise(double sigma) {
    return p -> {
      Random r = new Random(java.util.Arrays.hashCode(p));
      float[] o = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        o[i] = (float) Math.max(0, Math.min(1, p[i] + sigma * r.nextGaussian()));
      }
      return o;
    };
  }

  static UnaryOperator<float[]> gaussian(double sigma) {
    return p -> blur(p, S, S, sigma);
  }

  static float[] blur(float[] p, int w, int h, double sigma) {
    if (sigma <= 0) {
      return p;
    }
    int r = (int) Math.ceil(3 * sigma);
    float[] k = new float[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= (float) sum;
    }
    float[] t = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float a = 0;
        for (int i = -r; i <= r; i++) {
          a += k[i + r] * p[y * w + Math.max(0, Math.min(w - 1, x + i))];
        }
        t[y * w + x] = a;
      }
    }
    float[] o = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float a = 0;
        for (int i = -r; i <= r; i++) {
          a += k[i + r] * t[Math.max(0, Math.min(h - 1, y + i)) * w + x];
        }
        o[y * w + x] = a;
      }
    }
    return o;
  }

  /** Round trip through an 8-bit grayscale JPEG at the given quality. */
  static UnaryOperator<float[]> jpeg(float quality) {
    return p -> {
      try {
        BufferedImage im = new BufferedImage(S, S, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = im.getRaster();
        for (int i = 0; i < p.length; i++) {
          r.setSample(i % S, i / S, 0, Math.max(0, Math.min(255, Math.round(p[i] * 255))));
        }
        ImageWriter wr = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = wr.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream os = new MemoryCacheImageOutputStream(bo)) {
          wr.setOutput(os);
          wr.write(null, new IIOImage(im, null, null), param);
        }
        wr.dispose();
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bo.toByteArray()));
        float[] o = new float[p.length];
        for (int i = 0; i < p.length; i++) {
          o[i] = back.getRaster().getSample(i % S, i / S, 0) / 255f;
        }
        return o;
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    };
  }

  @SafeVarargs
  static UnaryOperator<float[]> chain(UnaryOperator<float[]>... ops) {
    return p -> {
      for (UnaryOperator<float[]> op : ops) {
        p = op.apply(p);
      }
      return p;
    };
  }

  static UnaryOperator<float[]> id() {
    return p -> p;
  }

  // ---------------------------------------------------------------- inference + metrics

  static RunnableNetwork net;

  static RunnableNetwork network() throws IOException {
    if (net == null) {
      ModelPackage pkg;
      String model = System.getProperty("model"); // -Dmodel=path/to/package.zip to check a retrained model
      if (model != null) {
        pkg = ModelPackage.load(Path.of(model));
      } else {
        try (InputStream in = ModelPackage.class.getClassLoader()
            .getResourceAsStream("io/github/emotion4j/models/fer2013-vgg-bn.zip")) {
          pkg = ModelPackage.fromZip(in, "bundled fer2013-vgg-bn");
        }
      }
      if (!pkg.input().equals(InputContract.FER2013)) {
        throw new IllegalStateException("unexpected contract " + pkg.input());
      }
      EmotionBackend nat = ServiceLoader.load(EmotionBackend.class).stream().map(ServiceLoader.Provider::get)
          .filter(b -> b.name().equals("native")).findFirst().orElseThrow();
      net = nat.load(pkg, Device.CPU);
      System.out.println("model " + pkg.metadata().name() + " " + pkg.metadata().version() + " on native CPU");
    }
    return net;
  }

  /** 7-class probabilities for each sample under a variant. */
  static double[][] probs(List<Sample> samples, Variant v) throws IOException {
    double[][] a = probs1(samples, v, false);
    if (v.flipTta()) {
      double[][] b = probs1(samples, v, true);
      for (int i = 0; i < a.length; i++) {
        for (int c = 0; c < 7; c++) {
          a[i][c] = (a[i][c] + b[i][c]) / 2;
        }
      }
    }
    return a;
  }

  static double[][] probs1(List<Sample> samples, Variant v, boolean flip) throws IOException {
    double[][] out = new double[samples.size()][];
    int batch = 50;
    for (int start = 0; start < samples.size(); start += batch) {
      int n = Math.min(batch, samples.size() - start);
      float[] data = new float[n * S * S];
      for (int i = 0; i < n; i++) {
        float[] p = v.post().apply(geometry(samples.get(start + i).image(), v.geo()));
        for (int j = 0; j < S * S; j++) {
          int src = flip ? (j / S) * S + (S - 1 - j % S) : j;
          data[i * S * S + j] = (p[src] - 0.5f) / 0.5f;
        }
      }
      float[] logits = network().logits(new InputBatch(data, n, InputContract.FER2013.shape()));
      for (int i = 0; i < n; i++) {
        logits[i * 7 + 4] += (float) v.neutralBias();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 7; c++) {
          max = Math.max(max, logits[i * 7 + c]);
        }
        double[] pr = new double[7];
        double sum = 0;
        for (int c = 0; c < 7; c++) {
          pr[c] = Math.exp(logits[i * 7 + c] - max);
          sum += pr[c];
        }
        for (int c = 0; c < 7; c++) {
          pr[c] /= sum;
        }
        out[start + i] = pr;
      }
    }
    return out;
  }

  /** Metrics: [bal4, recall happy, neutral, sad, angry, acc7, neutral->angry, neutral->sad, n4]. */
  static double[] metrics(List<Sample> samples, double[][] pr) {
    int[][] conf = new int[4][4];
    int correct7 = 0;
    for (int i = 0; i < samples.size(); i++) {
      int best7 = 0;
      for (int c = 1; c < 7; c++) {
        if (pr[i][c] > pr[i][best7]) {
          best7 = c;
        }
      }
      if (best7 == samples.get(i).label()) {
        correct7++;
      }
      int t = indexIn4(samples.get(i).label());
      if (t < 0) {
        continue;
      }
      int best = 0;
      for (int k = 1; k < 4; k++) {
        if (pr[i][FOUR[k]] > pr[i][FOUR[best]]) {
          best = k;
        }
      }
      conf[t][best]++;
    }
    double[] m = new double[9];
    double bal = 0;
    int n4 = 0;
    for (int t = 0; t < 4; t++) {
      int row = 0;
      for (int k = 0; k < 4; k++) {
        row += conf[t][k];
      }
      n4 += row;
      m[1 + t] = row == 0 ? Double.NaN : conf[t][t] / (double) row;
      bal += m[1 + t];
    }
    m[0] = bal / 4;
    m[5] = correct7 / (double) samples.size();
    m[6] = conf[1][3];
    m[7] = conf[1][2];
    m[8] = n4;
    return m;
  }

  static boolean[] right4(List<Sample> samples, double[][] pr) {
    List<Boolean> r = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      int t = indexIn4(samples.get(i).label());
      if (t < 0) {
        continue;
      }
      int best = 0;
      for (int k = 1; k < 4; k++) {
        if (pr[i][FOUR[k]] > pr[i][FOUR[best]]) {
          best = k;
        }
      }
      r.add(best == t);
    }
    boolean[] a = new boolean[r.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.get(i);
    }
    return a;
  }

  static int indexIn4(int label7) {
    for (int k = 0; k < 4; k++) {
      if (FOUR[k] == label7) {
        return k;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- variants

  static List<Variant> variants() {
    List<Variant> v = new ArrayList<>();
    Geo b = Geo.BASE;
    v.add(new Variant("0 baseline", "project pipeline (centre square, 601 luma, area)", b, id()));
    // (1) framing: centre crop (<1) or pad (>1), edge-replicated padding; plus black/mean padding
    for (double s : new double[] {0.7, 0.8, 0.85, 0.9, 0.95, 1.1, 1.2, 1.3}) {
      v.add(new Variant("1 framing", String.format("scale %.2f (%s)", s, s < 1 ? "crop " + Math.round((1 - s) * 100) + "%" : "pad " + Math.round((s - 1) * 50) + "% per side, edge"),
          new Geo(s, 0, "edge", "area", "601"), id()));
    }
    for (double s : new double[] {1.2}) {
      v.add(new Variant("1 framing", String.format("scale %.2f, black padding", s), new Geo(s, 0, "black", "area", "601"), id()));
      v.add(new Variant("1 framing", String.format("scale %.2f, mean-gray padding", s), new Geo(s, 0, "mean", "area", "601"), id()));
    }
    for (double dy : new double[] {-0.1, -0.05, 0.05, 0.1}) {
      v.add(new Variant("1 framing", String.format("shift box dy %+.2f (of side)", dy), new Geo(1.0, dy, "edge", "area", "601"), id()));
    }
    // (2) photometry
    v.add(new Variant("2 photometry", "per-image standardise to FER train mean/std (no clip)", b, standardise(false)));
    v.add(new Variant("2 photometry", "per-image standardise to FER train mean/std, clip [0,1]", b, standardise(true)));
    v.add(new Variant("2 photometry", "brightness only: mean -> FER mean", b, brightnessOnly()));
    v.add(new Variant("2 photometry", "contrast only: std -> FER std", b, contrastOnly()));
    v.add(new Variant("2 photometry", "histogram equalisation (global, 256 bins)", b, histEq()));
    // (3) gray conversion and resampling
    v.add(new Variant("3 gray/resize", "gray: Rec.709 luma", new Geo(1, 0, "edge", "area", "709"), id()));
    v.add(new Variant("3 gray/resize", "gray: RGB average", new Geo(1, 0, "edge", "area", "avg"), id()));
    v.add(new Variant("3 gray/resize", "gray: linear-light luma, sRGB re-encoded", new Geo(1, 0, "edge", "area", "linear"), id()));
    v.add(new Variant("3 gray/resize", "resize: bilinear 2-tap (no antialias)", new Geo(1, 0, "edge", "bilinear", "601"), id()));
    v.add(new Variant("3 gray/resize", "resize: nearest", new Geo(1, 0, "edge", "nearest", "601"), id()));
    // (4) sharpness / JPEG
    for (double s : new double[] {0.5, 0.8, 1.2}) {
      v.add(new Variant("4 blur/jpeg", String.format("gaussian blur sigma %.1f px at 48x48", s), b, gaussian(s)));
    }
    for (float q : new float[] {0.5f, 0.75f}) {
      v.add(new Variant("4 blur/jpeg", String.format("JPEG round trip at 48x48, quality %.0f", q * 100), b, jpeg(q)));
    }
    for (double[] u : new double[][] {{1.0, 0.5}, {1.0, 1.0}, {1.0, 2.0}, {0.7, 1.0}, {1.5, 1.0}}) {
      v.add(new Variant("4 blur/jpeg", String.format("unsharp mask sigma %.1f amount %.1f", u[0], u[1]), b, unsharp(u[0], u[1])));
    }
    for (double ns : new double[] {0.02, 0.04}) {
      v.add(new Variant("4 blur/jpeg", String.format("gaussian noise sd %.2f", ns), b, noise(ns)));
    }
    // combinations
    v.add(new Variant("5 combined", "scale 1.2 edge + standardise(clip)", new Geo(1.2, 0, "edge", "area", "601"), standardise(true)));
    v.add(new Variant("5 combined", "scale 0.9 + standardise(clip)", new Geo(0.9, 0, "edge", "area", "601"), standardise(true)));
    v.add(new Variant("5 combined", "blur 0.8 + standardise(clip)", b, chain(gaussian(0.8), standardise(true))));
    v.add(new Variant("5 combined", "hist-eq + blur 0.8", b, chain(histEq(), gaussian(0.8))));
    v.add(new Variant("5 combined", "contrast-only + unsharp 1.0/1.0", b, chain(contrastOnly(), unsharp(1.0, 1.0))));
    v.add(new Variant("5 combined", "hist-eq + unsharp 1.0/1.0", b, chain(histEq(), unsharp(1.0, 1.0))));
    v.add(new Variant("5 combined", "pad 5% (scale 1.1) + contrast-only + unsharp 1.0/1.0",
        new Geo(1.1, 0, "edge", "area", "601"), chain(contrastOnly(), unsharp(1.0, 1.0))));
    // diagnostics (not preprocessing): how far are the neutral faces from the decision boundary?
    for (double nb : new double[] {0.5, 1.0, 1.5}) {
      v.add(new Variant("6 diagnostic", String.format("neutral logit +%.1f (prior shift)", nb), b, id(), nb, false));
    }
    v.add(new Variant("6 diagnostic", "horizontal-flip test-time averaging", b, id(), 0, true));
    // the reverse experiment: make FER2013 look like faces-other-source (read the val columns)
    v.add(new Variant("7 FER made other-like", "contrast x0.6 (other-source std 0.18 vs FER 0.30)", b, contrastScale(0.6)));
    v.add(new Variant("7 FER made other-like", "blur sigma 0.55 (matches other-source Laplacian/std 0.38)", b, gaussian(0.55)));
    v.add(new Variant("7 FER made other-like", "contrast x0.6 + blur sigma 0.55", b, chain(gaussian(0.55), contrastScale(0.6))));
    v.add(new Variant("7 FER made other-like", "blur sigma 0.8 (stronger)", b, gaussian(0.8)));
    v.add(new Variant("7 FER made other-like", "contrast x0.8 (edge of STANDARD augmentation)", b, contrastScale(0.8)));
    return v;
  }

  static void eval(List<Sample> other, List<Sample> val, Path out, String only) throws IOException {
    // parity: our baseline geometry == the project's ImagePreprocessor
    ImagePreprocessor pre = new ImagePreprocessor(InputContract.FER2013);
    double maxDiff = 0;
    for (List<Sample> set : List.of(other, val.subList(0, 50))) {
      for (Sample s : set) {
        float[] a = pre.preprocess(s.image());
        float[] b = geometry(s.image(), Geo.BASE);
        for (int i = 0; i < a.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[i] - (b[i] - 0.5f) / 0.5f));
        }
      }
    }
    System.out.printf("parity with ImagePreprocessor (normalised units): max |diff| = %.2e%n", maxDiff);
    try (PrintStream tsv = new PrintStream(Files.newOutputStream(out.resolve("results.tsv")))) {
      tsv.println("group\tvariant\tother_bal4\tother_happy\tother_neutral\tother_sad\tother_angry\tother_acc7"
          + "\tother_neutral_to_angry\tother_neutral_to_sad\tother_fixed\tother_broken\tval_bal4\tval_happy\tval_neutral\tval_sad\tval_angry\tval_acc7\tval_neutral_to_angry\tval_neutral_to_sad");
      System.out.println();
      System.out.println("| group | variant | other bal4 | happy | neutral | sad | angry | other acc7 | N→angry/sad | +fixed/−broken | val bal4 | val happy | val neutral | val sad | val angry | val N→angry/sad | val acc7 |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
      boolean[] baseRight = null;
      for (Variant v : variants()) {
        if (only != null && !v.name().contains(only) && !v.group().contains(only) && baseRight != null) {
          continue;
        }
        double[][] po = probs(other, v);
        double[] mo = metrics(other, po);
        double[] mv = metrics(val, probs(val, v));
        boolean[] right = right4(other, po);
        if (baseRight == null) {
          baseRight = right;
        }
        int fixed = 0;
        int broken = 0;
        for (int i = 0; i < right.length; i++) {
          fixed += right[i] && !baseRight[i] ? 1 : 0;
          broken += !right[i] && baseRight[i] ? 1 : 0;
        }
        System.out.printf("| %s | %s | %.1f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.1f%% | %.0f/%.0f | +%d/−%d | %.1f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f/%.0f | %.1f%% |%n",
            v.group(), v.name(), 100 * mo[0], 100 * mo[1], 100 * mo[2], 100 * mo[3], 100 * mo[4], 100 * mo[5],
            mo[6], mo[7], fixed, broken, 100 * mv[0], 100 * mv[1], 100 * mv[2], 100 * mv[3], 100 * mv[4], mv[6], mv[7], 100 * mv[5]);
        tsv.printf("%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.0f\t%.0f\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.0f\t%.0f%n",
            v.group(), v.name(), mo[0], mo[1], mo[2], mo[3], mo[4], mo[5], mo[6], mo[7], fixed, broken,
            mv[0], mv[1], mv[2], mv[3], mv[4], mv[5], mv[6], mv[7]);
      }
      System.out.printf("(other-source 4-class n = %.0f; FER2013 val sample n = %d, 4-class n = %.0f)%n",
          metrics(other, new double[other.size()][7])[8], val.size(), metrics(val, new double[val.size()][7])[8]);
    }
  }

  // ---------------------------------------------------------------- statistics

  static double[] meanStd(List<Sample> set, Geo g) {
    double m = 0;
    double s = 0;
    for (Sample x : set) {
      double[] ms = stat(geometry(x.image(), g));
      m += ms[0];
      s += ms[1];
    }
    return new double[] {m / set.size(), s / set.size()};
  }

  /** Mean absolute 4-neighbour Laplacian of a 48x48 plane (sharpness / high-frequency energy). */
  static double laplacian(float[] p) {
    double a = 0;
    int n = 0;
    for (int y = 1; y < S - 1; y++) {
      for (int x = 1; x < S - 1; x++) {
        a += Math.abs(4 * p[y * S + x] - p[y * S + x - 1] - p[y * S + x + 1] - p[(y - 1) * S + x] - p[(y + 1) * S + x]);
        n++;
      }
    }
    return a / n;
  }

  static void stats(List<Sample> other, List<Sample> val, List<Sample> train, Path out) throws IOException {
    Map<String, List<Sample>> groups = new LinkedHashMap<>();
    groups.put("FER train sample (2000)", train);
    groups.put("FER val sample (500)", val);
    groups.put("FER train neutral", train.stream().filter(s -> s.label() == 4).toList());
    groups.put("FER train angry", train.stream().filter(s -> s.label() == 0).toList());
    groups.put("other-source all (150)", other);
    groups.put("other 350x350 gray JPEG", other.stream().filter(s -> s.image().getWidth() == 350).toList());
    groups.put("other small colour crops", other.stream().filter(s -> s.image().getWidth() != 350).toList());
    for (int l : FOUR) {
      groups.put("other " + L7[l], other.stream().filter(s -> s.label() == l).toList());
    }
    System.out.println();
    System.out.println("Per-image statistics of the 48x48 network input (project pipeline), [0,1] units:");
    System.out.println("| set | n | mean of means | sd of means | mean of stds | sd of stds | mean abs Laplacian | % px <0.04 | % px >0.96 | 8-bin histogram (%) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<Sample>> e : groups.entrySet()) {
      List<Sample> set = e.getValue();
      double[] means = new double[set.size()];
      double[] stds = new double[set.size()];
      double lap = 0;
      double lo = 0;
      double hi = 0;
      double[] hist = new double[8];
      for (int i = 0; i < set.size(); i++) {
        float[] p = geometry(set.get(i).image(), Geo.BASE);
        double[] ms = stat(p);
        means[i] = ms[0];
        stds[i] = ms[1];
        lap += laplacian(p);
        for (float v : p) {
          lo += v < 0.04 ? 1 : 0;
          hi += v > 0.96 ? 1 : 0;
          hist[Math.min(7, (int) (v * 8))]++;
        }
      }
      double px = set.size() * (double) S * S;
      StringBuilder h = new StringBuilder();
      for (double x : hist) {
        h.append(String.format("%.0f ", 100 * x / px));
      }
      System.out.printf("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.4f | %.1f | %.1f | %s|%n", e.getKey(), set.size(),
          avg(means), sd(means), avg(stds), sd(stds), lap / set.size(), 100 * lo / px, 100 * hi / px, h);
    }
    // sharpness of FER vs other-source under blur: which sigma matches FER's Laplacian?
    System.out.println();
    System.out.println("Mean abs Laplacian after gaussian blur at 48x48 (to match FER2013's sharpness):");
    double ferLap = 0;
    for (Sample s : train) {
      ferLap += laplacian(geometry(s.image(), Geo.BASE));
    }
    ferLap /= train.size();
    System.out.printf("FER train: %.4f%n", ferLap);
    for (double sg : new double[] {0, 0.3, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2}) {
      double l = 0;
      for (Sample s : other) {
        l += laplacian(blur(geometry(s.image(), Geo.BASE), S, S, sg));
      }
      System.out.printf("other-source sigma %.1f: %.4f%n", sg, l / other.size());
    }
    // Laplacian normalised by image std (contrast-independent sharpness)
    double a = 0;
    for (Sample s : train) {
      float[] p = geometry(s.image(), Geo.BASE);
      a += laplacian(p) / stat(p)[1];
    }
    double b = 0;
    for (Sample s : other) {
      float[] p = geometry(s.image(), Geo.BASE);
      b += laplacian(p) / stat(p)[1];
    }
    System.out.printf("contrast-normalised sharpness (Laplacian / std): FER train %.3f, other-source %.3f%n",
        a / train.size(), b / other.size());

    // mean faces and framing fit
    float[] ferMean = meanFace(train, Geo.BASE);
    float[] otherMean = meanFace(other, Geo.BASE);
    System.out.println();
    System.out.println("Row profile of the mean face (row mean, [0,1]) — dark minima mark eyes / mouth:");
    printProfile("FER train", ferMean);
    printProfile("other-source", otherMean);
    System.out.println();
    System.out.println("Framing fit: correlation of the gradient-magnitude of other-source's mean face (scale s, shift dy,"
        + " edge padding) with FER train's mean face; higher = better aligned:");
    double best = -2;
    String bestAt = "";
    StringBuilder tab = new StringBuilder("| scale \\ dy |");
    double[] dys = {-0.10, -0.05, 0, 0.05, 0.10};
    double[] scales = {0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5};
    for (double dy : dys) {
      tab.append(String.format(" %+.2f |", dy));
    }
    tab.append("\n|---|").append("---|".repeat(dys.length)).append('\n');
    float[] gf = gradMag(ferMean);
    for (double sc : scales) {
      tab.append(String.format("| %.2f |", sc));
      for (double dy : dys) {
        double c = corr(gf, gradMag(meanFace(other, new Geo(sc, dy, "edge", "area", "601"))));
        tab.append(String.format(" %.3f |", c));
        if (c > best) {
          best = c;
          bestAt = String.format("scale %.2f dy %+.2f", sc, dy);
        }
      }
      tab.append('\n');
    }
    System.out.print(tab);
    System.out.println("best: " + bestAt + String.format(" (r = %.3f)", best));
    writeFaces(out.resolve("mean-faces.png"), List.of(ferMean, meanFace(val, Geo.BASE), otherMean,
        meanFace(other.stream().filter(s -> s.label() == 4).toList(), Geo.BASE),
        meanFace(other, new Geo(1.2, 0, "edge", "area", "601")),
        meanFace(other, new Geo(1.3, 0, "edge", "area", "601"))));
    System.out.println("wrote " + out.resolve("mean-faces.png")
        + " (FER train, FER val, other all, other neutral, other scale 1.2, other scale 1.3)");
  }

  static void printProfile(String name, float[] p) {
    StringBuilder sb = new StringBuilder(name + ": ");
    for (int y = 0; y < S; y += 2) {
      double r = 0;
      for (int x = 12; x < 36; x++) { // central columns
        r += p[y * S + x] + p[(y + 1) * S + x];
      }
      sb.append(String.format("%d:%.2f ", y, r / 48));
    }
    System.out.println(sb);
  }

  static float[] meanFace(List<Sample> set, Geo g) {
    float[] m = new float[S * S];
    for (Sample s : set) {
      float[] p = geometry(s.image(), g);
      for (int i = 0; i < m.length; i++) {
        m[i] += p[i] / set.size();
      }
    }
    return m;
  }

  static float[] gradMag(float[] p) {
    float[] g = new float[S * S];
    for (int y = 1; y < S - 1; y++) {
      for (int x = 1; x < S - 1; x++) {
        float gx = p[y * S + x + 1] - p[y * S + x - 1];
        float gy = p[(y + 1) * S + x] - p[(y - 1) * S + x];
        g[y * S + x] = (float) Math.sqrt(gx * gx + gy * gy);
      }
    }
    return g;
  }

  static double corr(float[] a, float[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= a.length;
    mb /= b.length;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  static double avg(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double sd(double[] x) {
    double m = avg(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / x.length);
  }

  static void writeFaces(Path file, List<float[]> faces) throws IOException {
    int z = 4;
    BufferedImage im = new BufferedImage(faces.size() * (S * z + 4), S * z, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = im.getRaster();
    for (int f = 0; f < faces.size(); f++) {
      float[] p = faces.get(f);
      for (int y = 0; y < S * z; y++) {
        for (int x = 0; x < S * z; x++) {
          r.setSample(f * (S * z + 4) + x, y, 0, Math.max(0, Math.min(255, Math.round(p[(y / z) * S + x / z] * 255))));
        }
      }
    }
    ImageIO.write(im, "png", file.toFile());
  }

  /** Per-image view of the neutral faces: sharpness vs the model's neutral probability. */
  static void perImage(List<Sample> other, List<Sample> val, List<Sample> train, Path out) throws IOException {
    System.out.println();
    System.out.println("Contrast-normalised sharpness (mean |Laplacian| / std) after blur, FER train sample vs other-source:");
    for (double sg : new double[] {0, 0.5, 0.6, 0.7, 0.8}) {
      System.out.printf("sigma %.1f: FER train %.3f, other-source %.3f%n", sg, sharp(train, sg), sharp(other, sg));
    }
    subgroups(other);
    Variant base = variants().get(0);
    for (String setName : List.of("other-source", "FER val sample")) {
      List<Sample> set = setName.equals("other-source") ? other : val;
      List<Sample> neutral = set.stream().filter(s -> s.label() == 4).toList();
      double[][] pr = probs(neutral, base);
      double[] sharp = new double[neutral.size()];
      double[] pn = new double[neutral.size()];
      double[] ps = new double[neutral.size()];
      double[] pa = new double[neutral.size()];
      for (int i = 0; i < neutral.size(); i++) {
        float[] p = geometry(neutral.get(i).image(), Geo.BASE);
        sharp[i] = laplacian(p) / stat(p)[1];
        double t = pr[i][3] + pr[i][4] + pr[i][5] + pr[i][0];
        pn[i] = pr[i][4] / t;
        ps[i] = pr[i][5] / t;
        pa[i] = pr[i][0] / t;
      }
      System.out.printf("%n%s neutral faces (n = %d): Spearman rho(sharpness, P(neutral)) = %.2f, rho(sharpness, P(sad)) = %.2f,"
          + " rho(sharpness, P(angry)) = %.2f; mean sharpness %.3f%n", setName, neutral.size(), spearman(sharp, pn),
          spearman(sharp, ps), spearman(sharp, pa), avg(sharp));
      if (set == other) {
        System.out.println("| image | size | mean | std | sharpness | P4 happy | neutral | sad | angry | 4-class prediction |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        Integer[] order = new Integer[neutral.size()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(pn[b], pn[a]));
        List<float[]> faces = new ArrayList<>();
        for (int i : order) {
          Sample s = neutral.get(i);
          float[] p = geometry(s.image(), Geo.BASE);
          double[] ms = stat(p);
          double t = pr[i][3] + pr[i][4] + pr[i][5] + pr[i][0];
          int best = 0;
          for (int k = 1; k < 4; k++) {
            if (pr[i][FOUR[k]] > pr[i][FOUR[best]]) {
              best = k;
            }
          }
          System.out.printf("| %s | %dx%d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", s.name(), s.image().getWidth(),
              s.image().getHeight(), ms[0], ms[1], sharp[i], pr[i][3] / t, pr[i][4] / t, pr[i][5] / t, pr[i][0] / t, FOUR_NAMES[best]);
          faces.add(p);
        }
        grid(out.resolve("other-neutral-by-pneutral.png"), faces);
        System.out.println("wrote " + out.resolve("other-neutral-by-pneutral.png") + " (sorted by P(neutral), highest first)");
      }
    }
  }

  /** 4-class recall of other-source by image source (350x350 gray vs small colour crops). */
  static void subgroups(List<Sample> other) throws IOException {
    System.out.println();
    System.out.println("other-source 4-class recall by sub-group (correct/n): 350x350 gray JPEGs | small colour crops");
    List<Variant> vs = new ArrayList<>();
    for (Variant v : variants()) {
      if (v.group().startsWith("0") || v.name().startsWith("unsharp mask sigma 1.0 amount 1.0")
          || v.name().startsWith("gaussian blur sigma 0.8") || v.name().startsWith("resize: bilinear")
          || v.name().startsWith("histogram equalisation") || v.name().startsWith("scale 1.10") || v.name().startsWith("per-image standardise to FER train mean/std, clip")) {
        vs.add(v);
      }
    }
    System.out.println("| variant | happy | neutral | sad | angry | happy (colour) | neutral (colour) | sad (colour) | angry (colour) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (Variant v : vs) {
      double[][] pr = probs(other, v);
      int[][] c = new int[2][4];
      int[][] n = new int[2][4];
      for (int i = 0; i < other.size(); i++) {
        int t = indexIn4(other.get(i).label());
        if (t < 0) {
          continue;
        }
        int g = other.get(i).image().getWidth() == 350 && other.get(i).image().getHeight() == 350 ? 0 : 1;
        int best = 0;
        for (int k = 1; k < 4; k++) {
          if (pr[i][FOUR[k]] > pr[i][FOUR[best]]) {
            best = k;
          }
        }
        n[g][t]++;
        c[g][t] += best == t ? 1 : 0;
      }
      StringBuilder sb = new StringBuilder("| " + v.name() + " |");
      for (int g = 0; g < 2; g++) {
        for (int t = 0; t < 4; t++) {
          sb.append(String.format(" %d/%d |", c[g][t], n[g][t]));
        }
      }
      System.out.println(sb);
    }
  }

  static double sharp(List<Sample> set, double sigma) {
    double a = 0;
    for (Sample s : set) {
      float[] p = blur(geometry(s.image(), Geo.BASE), S, S, sigma);
      a += laplacian(p) / stat(p)[1];
    }
    return a / set.size();
  }

  static double spearman(double[] a, double[] b) {
    return corrD(ranks(a), ranks(b));
  }

  static double[] ranks(double[] x) {
    Integer[] o = new Integer[x.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = i;
    }
    java.util.Arrays.sort(o, (p, q) -> Double.compare(x[p], x[q]));
    double[] r = new double[x.length];
    for (int i = 0; i < o.length; i++) {
      r[o[i]] = i;
    }
    return r;
  }

  static double corrD(double[] a, double[] b) {
    float[] fa = new float[a.length];
    float[] fb = new float[b.length];
    for (int i = 0; i < a.length; i++) {
      fa[i] = (float) a[i];
      fb[i] = (float) b[i];
    }
    return corr(fa, fb);
  }

  static void montage(List<Sample> other, List<Sample> val, Path out) throws IOException {
    for (int l : FOUR) {
      List<float[]> a = other.stream().filter(s -> s.label() == l).map(s -> geometry(s.image(), Geo.BASE)).toList();
      List<float[]> b = val.stream().filter(s -> s.label() == l).limit(30).map(s -> geometry(s.image(), Geo.BASE)).toList();
      grid(out.resolve("montage-other-" + L7[l] + ".png"), a);
      grid(out.resolve("montage-fer-val-" + L7[l] + ".png"), b);
    }
    System.out.println("wrote montages to " + out);
  }

  static void grid(Path file, List<float[]> faces) throws IOException {
    int z = 2;
    int cols = 10;
    int rows = (faces.size() + cols - 1) / cols;
    BufferedImage im = new BufferedImage(cols * (S * z + 2), rows * (S * z + 2), BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = im.getRaster();
    for (int f = 0; f < faces.size(); f++) {
      int ox = (f % cols) * (S * z + 2);
      int oy = (f / cols) * (S * z + 2);
      float[] p = faces.get(f);
      for (int y = 0; y < S * z; y++) {
        for (int x = 0; x < S * z; x++) {
          r.setSample(ox + x, oy + y, 0, Math.max(0, Math.min(255, Math.round(p[(y / z) * S + x / z] * 255))));
        }
      }
    }
    ImageIO.write(im, "png", file.toFile());
  }
}
