package io.github.emotion4j.testing;

import java.util.Arrays;

/** Sorting and medians for the speed harnesses' rounds. */
public final class Medians {
  private Medians() {}

  /**
   * Returns a sorted copy.
   *
   * @param values the values
   * @return them in ascending order
   */
  public static double[] sorted(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s;
  }

  /**
   * Returns the median of sorted values: the middle one, or the mean of the middle two.
   *
   * @param sorted values in ascending order, at least one
   * @return the median
   */
  public static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
