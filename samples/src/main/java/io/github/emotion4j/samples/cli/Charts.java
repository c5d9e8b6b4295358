package io.github.emotion4j.samples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.reflect.TypeToken;
import io.github.emotion4j.internal.AtomicFiles;
import io.github.emotion4j.train.Evaluation;
import io.github.emotion4j.train.Training;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws evaluation and training charts with JFreeChart: the confusion matrix as a heat map with the
 * counts in its cells, and the training curves (loss and accuracy per epoch, training against
 * validation, as in the paper's figures 8 and 10). PNG files are written atomically: a reader sees
 * the old file or the whole new one.
 *
 * <p>Stateless and thread-safe. Needs no display: run with {@code -Djava.awt.headless=true} on
 * servers (the command-line tool sets it).
 */
public final class Charts {
  /** Width of the confusion-matrix PNG, in pixels. */
  public static final int MATRIX_WIDTH = 720;
  /** Height of the confusion-matrix PNG, in pixels. */
  public static final int MATRIX_HEIGHT = 640;
  /** Width of the training-curves PNG, in pixels. */
  public static final int CURVES_WIDTH = 900;
  /** Height of the training-curves PNG, in pixels. */
  public static final int CURVES_HEIGHT = 720;

  /** Keys of a {@code history.json} entry that the curves need (see {@link Training#historyMaps}). */
  static final List<String> HISTORY_KEYS =
      List.of("epoch", "train-loss", "train-accuracy", "val-loss", "val-accuracy");

  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color VALIDATION = new Color(0xd62728);
  private static final Color LOW = new Color(0xf7fbff);
  private static final Color HIGH = new Color(0x08306b);

  private Charts() {}

  /**
   * Draws a confusion matrix: rows are the true labels (top to bottom), columns the predicted ones;
   * a cell's colour is its share of the row (the recall for the diagonal), its text the count.
   *
   * @param evaluation the metrics
   * @param title the chart title
   * @return the chart
   */
  public static JFreeChart confusionMatrix(Evaluation evaluation, String title) {
    List<String> labels = evaluation.labels().labels();
    int n = labels.size();
    double[][] xyz = new double[3][n * n];
    XYBlockRenderer renderer = new XYBlockRenderer();
    List<XYTextAnnotation> texts = new ArrayList<>();
    for (int truth = 0; truth < n; truth++) {
      List<Integer> row = evaluation.confusion().get(truth);
      int rowSum = row.stream().mapToInt(Integer::intValue).sum();
      for (int predicted = 0; predicted < n; predicted++) {
        int i = truth * n + predicted;
        double share = rowSum == 0 ? 0 : row.get(predicted) / (double) rowSum;
        xyz[0][i] = predicted;
        xyz[1][i] = truth;
        xyz[2][i] = share;
        XYTextAnnotation text = new XYTextAnnotation(String.valueOf(row.get(predicted)), predicted, truth);
        text.setFont(new Font(Font.SANS_SERIF, Font.BOLD, n > 10 ? 10 : 14));
        text.setPaint(share > 0.5 ? Color.WHITE : Color.BLACK);
        text.setTextAnchor(TextAnchor.CENTER);
        texts.add(text);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("confusion", xyz);
    BlueScale scale = new BlueScale();
    renderer.setPaintScale(scale);
    String[] symbols = labels.toArray(String[]::new);
    SymbolAxis predictedAxis = new SymbolAxis("Predicted label", symbols);
    SymbolAxis trueAxis = new SymbolAxis("True label", symbols);
    for (SymbolAxis axis : List.of(predictedAxis, trueAxis)) {
      axis.setGridBandsVisible(false);
      axis.setAutoRange(false);
      axis.setRange(-0.5, n - 0.5);
      axis.setLowerMargin(0);
      axis.setUpperMargin(0);
    }
    trueAxis.setInverted(true);
    XYPlot plot = new XYPlot(data, predictedAxis, trueAxis, renderer);
    plot.setDomainAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setOutlinePaint(Color.GRAY);
    texts.forEach(plot::addAnnotation);
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, false);
    NumberAxis shareAxis = new NumberAxis("Share of true label");
    shareAxis.setRange(0, 1);
    PaintScaleLegend legend = new PaintScaleLegend(scale, shareAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(new RectangleInsets(10, 10, 10, 10));
    legend.setStripWidth(14);
    legend.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    chart.addSubtitle(legend);
    chart.addSubtitle(new TextTitle(String.format(java.util.Locale.ROOT,
        "%d images, accuracy %.3f, macro-F1 %.3f", evaluation.count(), evaluation.accuracy(),
        evaluation.macroF1())));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * Draws the training curves from {@link Training#historyMaps} or {@code history.json} entries:
   * loss on top, accuracy below, epoch along the shared axis; training in blue, validation in red.
   *
   * @param history one map per epoch with at least the keys {@code epoch}, {@code train-loss},
   *     {@code train-accuracy}, {@code val-loss}, {@code val-accuracy} (numbers)
   * @param title the chart title
   * @return the chart
   * @throws IllegalArgumentException if the history is empty or an entry lacks a key
   */
  public static JFreeChart trainingCurves(List<Map<String, Object>> history, String title) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("the training history has no epoch");
    }
    XYSeries trainLoss = new XYSeries("training");
    XYSeries valLoss = new XYSeries("validation");
    XYSeries trainAcc = new XYSeries("training");
    XYSeries valAcc = new XYSeries("validation");
    for (int i = 0; i < history.size(); i++) {
      Map<String, Object> e = history.get(i);
      double epoch = number(e, "epoch", i);
      trainLoss.add(epoch, number(e, "train-loss", i));
      valLoss.add(epoch, number(e, "val-loss", i));
      trainAcc.add(epoch, number(e, "train-accuracy", i));
      valAcc.add(epoch, number(e, "val-accuracy", i));
    }
    NumberAxis epochAxis = new NumberAxis("Epoch");
    epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
    plot.setGap(12);
    XYPlot loss = curvePlot("Loss", trainLoss, valLoss, false);
    plot.add(loss, 1);
    plot.add(curvePlot("Accuracy", trainAcc, valAcc, true), 1);
    plot.setFixedLegendItems(loss.getLegendItems()); // one entry per series, not per subplot
    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * Reads the {@code history.json} that a training checkpoint folder holds (a list of maps, one per
   * epoch). A folder is read as its {@code history.json}.
   *
   * @param file the JSON file, or a checkpoint folder
   * @return the entries, numbers as doubles
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not a list of epoch maps with the curves' keys
   */
  public static List<Map<String, Object>> readHistory(Path file) throws IOException {
    Path json = Files.isDirectory(file) ? file.resolve("history.json") : file;
    if (!Files.isRegularFile(json)) {
      throw new NoSuchFileException(json.toString(), null, "no training history here");
    }
    List<Map<String, Object>> history;
    try {
      history = new GsonBuilder().setStrictness(Strictness.LENIENT).create().fromJson(
          Files.readString(json, StandardCharsets.UTF_8), new TypeToken<List<Map<String, Object>>>() {}.getType());
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(json + " is not a training history (a JSON list of epochs): "
          + e.getMessage(), e);
    }
    if (history == null || history.isEmpty()) {
      throw new IllegalArgumentException(json + " holds no epoch");
    }
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i) == null) {
        throw new IllegalArgumentException(json + ": entry " + (i + 1) + " is not an epoch");
      }
      for (String key : HISTORY_KEYS) {
        number(history.get(i), key, i);
      }
    }
    return history;
  }

  /**
   * Writes a chart as a PNG file, atomically.
   *
   * @param chart the chart
   * @param width pixels
   * @param height pixels
   * @param target the PNG file; its folder is created if missing
   * @throws IOException if writing fails; an existing file is then unchanged
   */
  public static void writePng(JFreeChart chart, int width, int height, Path target) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ChartUtils.writeChartAsPNG(png, chart, width, height);
    AtomicFiles.write(target, png.toByteArray());
  }

  /**
   * Draws and writes a confusion matrix PNG ({@value #MATRIX_WIDTH}×{@value #MATRIX_HEIGHT}).
   *
   * @param evaluation the metrics
   * @param title the chart title
   * @param target the PNG file
   * @throws IOException if writing fails
   */
  public static void writeConfusionMatrix(Evaluation evaluation, String title, Path target) throws IOException {
    writePng(confusionMatrix(evaluation, title), MATRIX_WIDTH, MATRIX_HEIGHT, target);
  }

  /**
   * Draws and writes a training-curves PNG ({@value #CURVES_WIDTH}×{@value #CURVES_HEIGHT}).
   *
   * @param history the epoch maps (see {@link #trainingCurves})
   * @param title the chart title
   * @param target the PNG file
   * @throws IOException if writing fails
   */
  public static void writeTrainingCurves(List<Map<String, Object>> history, String title, Path target)
      throws IOException {
    writePng(trainingCurves(history, title), CURVES_WIDTH, CURVES_HEIGHT, target);
  }

  private static XYPlot curvePlot(String name, XYSeries train, XYSeries validation, boolean unit) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(train);
    data.addSeries(validation);
    NumberAxis axis = new NumberAxis(name);
    axis.setAutoRangeIncludesZero(unit);
    if (unit) {
      axis.setUpperBound(1.0);
    }
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, TRAIN);
    renderer.setSeriesPaint(1, VALIDATION);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    renderer.setSeriesStroke(1, new BasicStroke(2f));
    renderer.setSeriesShape(0, new java.awt.geom.Rectangle2D.Double(-3, -3, 6, 6));
    renderer.setSeriesShape(1, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
    XYPlot plot = new XYPlot(data, null, axis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }

  private static double number(Map<String, Object> entry, String key, int index) {
    Object v = entry.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s && s.matches("NaN|-?Infinity")) { // as Training writes non-finite values
      return Double.parseDouble(s);
    }
    throw new IllegalArgumentException("training history entry " + (index + 1) + " has no number \""
        + key + "\"" + (v == null ? "" : " (found " + v + ")"));
  }

  /** White to dark blue over [0, 1]. */
  private static final class BlueScale implements PaintScale {
    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      double t = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
      return new Color(mix(LOW.getRed(), HIGH.getRed(), t), mix(LOW.getGreen(), HIGH.getGreen(), t),
          mix(LOW.getBlue(), HIGH.getBlue(), t));
    }

    private static int mix(int a, int b, double t) {
      return (int) Math.round(a + (b - a) * t);
    }
  }
}
