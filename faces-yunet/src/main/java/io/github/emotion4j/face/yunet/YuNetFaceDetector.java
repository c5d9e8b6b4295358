package io.github.emotion4j.face.yunet;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.emotion4j.FaceBox;
import io.github.emotion4j.face.DetectedFace;
import io.github.emotion4j.face.FaceDetectionException;
import io.github.emotion4j.face.FaceDetector;
import io.github.emotion4j.face.FaceLandmarks;
import io.github.emotion4j.face.FaceLandmarks.Point;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds faces with YuNet (Wu, Peng and Yu, 2023; the model OpenCV's {@code FaceDetectorYN} runs) on
 * ONNX Runtime, giving a box, a score and five landmarks per face. The model is inside this jar.
 *
 * <p>A photo is scaled down (never up) so that its longer side is at most {@link
 * Settings#maxSide()} pixels, padded to a multiple of 32 and run once; YuNet finds faces of about
 * 10 to 300 pixels at that scale. Boxes and landmarks are given in the photo's own pixels.
 *
 * <p>The constructor is cheap; the ONNX Runtime session starts on the first {@link #detect} call.
 * Thread-safe; {@link #close()} releases the session.
 *
 * @since 0.1
 */
public final class YuNetFaceDetector implements FaceDetector {
  /** The name this detector is registered under. */
  public static final String NAME = "yunet";
  static final String MODEL_RESOURCE = "yunet_s_dynamic.onnx";
  private static final int[] STRIDES = {8, 16, 32};
  private static final Logger log = LoggerFactory.getLogger(YuNetFaceDetector.class);

  /**
   * How the detector runs.
   *
   * @param scoreThreshold faces scoring below this are dropped, in (0, 1)
   * @param nmsThreshold of two boxes overlapping by more than this intersection over union, the
   *     lower-scoring one is dropped, in (0, 1]
   * @param maxSide photos whose longer side exceeds this many pixels are scaled down to it before
   *     detection, at least 32; larger finds smaller faces, slower
   * @param threads ONNX Runtime intra-op threads; 0 for its default (one per core)
   * @since 0.1
   */
  public record Settings(double scoreThreshold, double nmsThreshold, int maxSide, int threads) {
    /** The defaults: score 0.7, NMS 0.3, longer side 640, ONNX Runtime's thread count. */
    public static final Settings DEFAULT = new Settings(0.7, 0.3, 640, 0);

    /** Validates the ranges. */
    public Settings {
      if (!(scoreThreshold > 0 && scoreThreshold < 1)) {
        throw new IllegalArgumentException("scoreThreshold must be in (0, 1), got " + scoreThreshold);
      }
      if (!(nmsThreshold > 0 && nmsThreshold <= 1)) {
        throw new IllegalArgumentException("nmsThreshold must be in (0, 1], got " + nmsThreshold);
      }
      if (maxSide < 32) {
        throw new IllegalArgumentException("maxSide must be at least 32, got " + maxSide);
      }
      if (threads < 0) {
        throw new IllegalArgumentException("threads must be 0 (default) or more, got " + threads);
      }
    }
  }

  private final Settings settings;
  private final Object lock = new Object();
  private volatile OrtSession session;
  private volatile boolean closed;

  /** Creates a detector with {@link Settings#DEFAULT}; used by {@link java.util.ServiceLoader}. */
  public YuNetFaceDetector() {
    this(Settings.DEFAULT);
  }

  /**
   * Creates a detector.
   *
   * @param settings thresholds, scale and threads
   */
  public YuNetFaceDetector(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns the settings.
   *
   * @return the settings
   */
  public Settings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<DetectedFace> detect(BufferedImage photo) {
    Objects.requireNonNull(photo, "photo");
    OrtSession s = session();
    int w = photo.getWidth();
    int h = photo.getHeight();
    double scale = Math.min(1.0, settings.maxSide() / (double) Math.max(w, h));
    int sw = Math.max(1, (int) Math.round(w * scale));
    int sh = Math.max(1, (int) Math.round(h * scale));
    int pw = (sw + 31) / 32 * 32;
    int ph = (sh + 31) / 32 * 32;
    float[] input = bgrPlanes(photo, sw, sh, pw, ph);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, ph, pw});
        OrtSession.Result result = s.run(Map.of("input", tensor))) {
      List<Candidate> candidates = new ArrayList<>();
      for (int stride : STRIDES) {
        decode(result, stride, pw / stride, ph / stride, scale, candidates);
      }
      // A face at the photo's edge gives a box partly outside it: report only the part inside.
      List<DetectedFace> faces = nms(candidates, settings.nmsThreshold()).stream()
          .map(f -> new DetectedFace(f.box().clip(w, h), f.confidence(), f.landmarks())).toList();
      log.debug("YuNet found {} faces in a {}x{} photo (run at {}x{})", faces.size(), w, h, pw, ph);
      return faces;
    } catch (OrtException e) {
      throw new FaceDetectionException("YuNet failed on a " + w + "x" + h + " photo: " + e.getMessage(), e);
    }
  }

  private record Candidate(double x, double y, double w, double h, double score, double[] kps) {}

  private void decode(OrtSession.Result result, int stride, int cols, int rows, double scale,
      List<Candidate> out) throws OrtException {
    FloatBuffer cls = buffer(result, "cls_" + stride);
    FloatBuffer obj = buffer(result, "obj_" + stride);
    FloatBuffer bbox = buffer(result, "bbox_" + stride);
    FloatBuffer kps = buffer(result, "kps_" + stride);
    int n = rows * cols;
    if (cls.remaining() != n) {
      throw new IllegalStateException("YuNet output cls_" + stride + " has " + cls.remaining()
          + " values, expected " + n);
    }
    for (int i = 0; i < n; i++) {
      double score = Math.sqrt(clamp01(cls.get(i)) * clamp01(obj.get(i)));
      if (score < settings.scoreThreshold()) {
        continue;
      }
      int r = i / cols;
      int c = i % cols;
      double cx = (c + bbox.get(4 * i)) * stride;
      double cy = (r + bbox.get(4 * i + 1)) * stride;
      double bw = Math.exp(bbox.get(4 * i + 2)) * stride;
      double bh = Math.exp(bbox.get(4 * i + 3)) * stride;
      double[] points = new double[10];
      for (int k = 0; k < 5; k++) {
        points[2 * k] = (kps.get(10 * i + 2 * k) + c) * stride / scale;
        points[2 * k + 1] = (kps.get(10 * i + 2 * k + 1) + r) * stride / scale;
      }
      out.add(new Candidate((cx - bw / 2) / scale, (cy - bh / 2) / scale, bw / scale, bh / scale, score, points));
    }
  }

  private static FloatBuffer buffer(OrtSession.Result result, String name) throws OrtException {
    return ((OnnxTensor) result.get(name).orElseThrow(
        () -> new IllegalStateException("YuNet model has no output " + name))).getFloatBuffer();
  }

  private static double clamp01(double v) {
    return Math.max(0, Math.min(1, v));
  }

  static List<DetectedFace> nms(List<Candidate> candidates, double threshold) {
    candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : candidates) {
      boolean keep = true;
      for (Candidate k : kept) {
        if (iou(c, k) > threshold) {
          keep = false;
          break;
        }
      }
      if (keep) {
        kept.add(c);
      }
    }
    List<DetectedFace> faces = new ArrayList<>(kept.size());
    for (Candidate c : kept) {
      FaceBox box = new FaceBox((int) Math.round(c.x()), (int) Math.round(c.y()),
          Math.max(1, (int) Math.round(c.w())), Math.max(1, (int) Math.round(c.h())));
      double[] p = c.kps();
      FaceLandmarks marks = new FaceLandmarks(new Point(p[0], p[1]), new Point(p[2], p[3]),
          new Point(p[4], p[5]), new Point(p[6], p[7]), new Point(p[8], p[9]));
      faces.add(new DetectedFace(box, c.score(), Optional.of(marks)));
    }
    return faces;
  }

  private static double iou(Candidate a, Candidate b) {
    double ix = Math.max(0, Math.min(a.x() + a.w(), b.x() + b.w()) - Math.max(a.x(), b.x()));
    double iy = Math.max(0, Math.min(a.y() + a.h(), b.y() + b.h()) - Math.max(a.y(), b.y()));
    double inter = ix * iy;
    return inter / (a.w() * a.h() + b.w() * b.h() - inter);
  }

  /** Scales the photo to sw x sh, pads it with black to pw x ph, and lays it out as B, G, R planes of 0..255. */
  static float[] bgrPlanes(BufferedImage photo, int sw, int sh, int pw, int ph) {
    BufferedImage bgr = new BufferedImage(pw, ph, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = bgr.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(photo, 0, 0, sw, sh, null);
    } finally {
      g.dispose();
    }
    byte[] px = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    int plane = pw * ph;
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      out[i] = px[3 * i] & 0xff;
      out[plane + i] = px[3 * i + 1] & 0xff;
      out[2 * plane + i] = px[3 * i + 2] & 0xff;
    }
    return out;
  }

  private OrtSession session() {
    OrtSession s = session;
    if (s != null) {
      return s;
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("This YuNetFaceDetector is closed");
      }
      if (session == null) {
        session = open();
      }
      return session;
    }
  }

  private OrtSession open() {
    byte[] model;
    try (InputStream in = YuNetFaceDetector.class.getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new FaceDetectionException("The YuNet model " + MODEL_RESOURCE
            + " is missing from the emotion4j-faces-yunet jar; rebuild or re-download it", null);
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the YuNet model " + MODEL_RESOURCE, e);
    }
    try {
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (settings.threads() > 0) {
        options.setIntraOpNumThreads(settings.threads());
      }
      startDjlEngineFirst();
      OrtSession s = OrtEnvironment.getEnvironment().createSession(model, options);
      log.debug("YuNet face detector started on ONNX Runtime ({})", settings);
      return s;
    } catch (OrtException | UnsatisfiedLinkError e) {
      throw new FaceDetectionException("Could not start ONNX Runtime for the YuNet face detector: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      OrtSession s = session;
      session = null;
      if (s != null) {
        try {
          s.close();
        } catch (OrtException e) {
          log.debug("Closing the YuNet session failed", e);
        }
      }
    }
  }

  /**
   * ONNX Runtime has one environment per process, and DJL's OnnxRuntime engine cannot start once
   * someone else created it (deepjavalibrary/djl#3679). When that engine is on the class path, let
   * it create the environment first, so the detector and the onnxruntime backend work side by side.
   */
  private static void startDjlEngineFirst() {
    try {
      Class.forName("ai.djl.onnxruntime.engine.OrtEngineProvider", false, YuNetFaceDetector.class.getClassLoader());
      Class.forName("ai.djl.engine.Engine").getMethod("getEngine", String.class).invoke(null, "OnnxRuntime");
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      log.debug("DJL's OnnxRuntime engine is not started first: {}", e.toString());
    }
  }
}
