package io.github.emotion4j.samples.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place with carriage returns, for a terminal's standard error:
 * {@code [##########----------]  512/1024  50%  310 img/s  ETA 0:00:01}. Redraws at most five times
 * a second, and always for the last item. Not thread-safe.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final int total;
  private final String unit;
  private final long start = System.nanoTime();
  private long lastDraw = Long.MIN_VALUE;
  private boolean drawn;

  /**
   * Creates a bar; nothing is drawn until {@link #update}.
   *
   * @param out where to draw (standard error)
   * @param total the number of items
   * @param unit the items' unit in the rate, e.g. {@code img}
   */
  ProgressBar(PrintStream out, int total, String unit) {
    this.out = out;
    this.total = Math.max(1, total);
    this.unit = unit;
  }

  /**
   * Shows that {@code done} of the total are finished.
   *
   * @param done items finished
   */
  void update(int done) {
    long now = System.nanoTime();
    if (done < total && drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    int filled = (int) ((long) WIDTH * done / total);
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    long eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    out.printf(Locale.ROOT, "\r[%s%s] %d/%d %3d%%  %.0f %s/s  ETA %d:%02d:%02d ",
        "#".repeat(filled), "-".repeat(WIDTH - filled), done, total, 100L * done / total, rate, unit,
        eta / 3600, (eta / 60) % 60, eta % 60);
    out.flush();
  }

  /** Ends the line if anything was drawn. */
  void finish() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }
}
