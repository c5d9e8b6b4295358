package io.github.emotion4j.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.emotion4j.LabelSet;
import io.github.emotion4j.train.Evaluation;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts: what they contain, and that they are written as readable PNGs. */
class ChartsTest {
  @TempDir
  Path tmp;

  private static Evaluation fourByFour() {
    // truth: 4 angry, 2 happy, 1 neutral, 3 sad
    int[] truth = {0, 0, 0, 0, 1, 1, 2, 3, 3, 3};
    int[] predicted = {0, 0, 0, 1, 1, 1, 3, 3, 3, 0};
    return Evaluation.of(LabelSet.PAPER_FOUR, truth, predicted);
  }

  @Test
  void confusionMatrixHasACountPerCellAndLabelsOnBothAxes() throws IOException {
    JFreeChart chart = Charts.confusionMatrix(fourByFour(), "test");
    XYPlot plot = chart.getXYPlot();
    assertEquals("Predicted label", plot.getDomainAxis().getLabel());
    assertEquals("True label", plot.getRangeAxis().getLabel());
    assertEquals(List.of("angry", "happy", "neutral", "sad"),
        List.of(((org.jfree.chart.axis.SymbolAxis) plot.getDomainAxis()).getSymbols()));
    assertEquals(List.of("angry", "happy", "neutral", "sad"),
        List.of(((org.jfree.chart.axis.SymbolAxis) plot.getRangeAxis()).getSymbols()));
    List<String> texts = plot.getAnnotations().stream().map(a -> ((XYTextAnnotation) a))
        .filter(a -> a.getX() == 0 && a.getY() == 0 || a.getX() == 1 && a.getY() == 0 || a.getX() == 0 && a.getY() == 3)
        .map(XYTextAnnotation::getText).toList();
    assertEquals(16, plot.getAnnotations().size());
    assertEquals(List.of("3", "1", "1"), texts);

    Path file = tmp.resolve("sub/cm.png");
    Charts.writeConfusionMatrix(fourByFour(), "test", file);
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(Charts.MATRIX_WIDTH, image.getWidth());
    assertEquals(Charts.MATRIX_HEIGHT, image.getHeight());
    // the diagonal "happy" cell (2 of 2) is dark; somewhere the picture is also white
    boolean dark = false;
    boolean white = false;
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        Color c = new Color(image.getRGB(x, y));
        dark |= c.getBlue() > 80 && c.getRed() < 30 && c.getGreen() < 70;
        white |= c.getRed() == 255 && c.getGreen() == 255 && c.getBlue() == 255;
      }
    }
    assertTrue(dark && white, "a heat map with dark and white cells");
  }

  @Test
  void trainingCurvesHaveLossAndAccuracyForTrainingAndValidation() throws IOException {
    List<Map<String, Object>> history = List.of(
        Map.of("epoch", 1, "train-loss", 1.9, "train-accuracy", 0.2, "val-loss", 1.8, "val-accuracy", 0.25),
        Map.of("epoch", 2, "train-loss", 1.4, "train-accuracy", 0.45, "val-loss", 1.5, "val-accuracy", 0.4));
    JFreeChart chart = Charts.trainingCurves(history, "curves");
    @SuppressWarnings("unchecked")
    List<XYPlot> plots = ((CombinedDomainXYPlot) chart.getPlot()).getSubplots();
    assertEquals(List.of("Loss", "Accuracy"), plots.stream().map(p -> p.getRangeAxis().getLabel()).toList());
    assertEquals(2, plots.get(0).getDataset().getSeriesCount());
    assertEquals("validation", plots.get(1).getDataset().getSeriesKey(1));
    assertEquals(0.4, plots.get(1).getDataset().getYValue(1, 1), 1e-12);

    Path file = tmp.resolve("curves.png");
    Charts.writeTrainingCurves(history, "curves", file);
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(Charts.CURVES_WIDTH, image.getWidth());
    assertEquals(Charts.CURVES_HEIGHT, image.getHeight());
  }

  @Test
  void readHistoryRejectsWhatIsNotAHistory() throws IOException {
    Path empty = Files.writeString(tmp.resolve("h.json"), "[]");
    assertEquals(empty + " holds no epoch",
        assertThrows(IllegalArgumentException.class, () -> Charts.readHistory(empty)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Charts.trainingCurves(List.of(), "t"));
    assertThrows(java.nio.file.NoSuchFileException.class, () -> Charts.readHistory(tmp.resolve("none")));
  }
}
