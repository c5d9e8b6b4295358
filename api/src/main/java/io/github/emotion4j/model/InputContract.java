package io.github.emotion4j.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a network expects as input: one image as {@code channels × height × width} float32 values,
 * each pixel scaled to [0, 1] and then normalised as {@code (x - mean[c]) / std[c]}.
 *
 * @param channels 1 (luma) or 3 (RGB)
 * @param height rows
 * @param width columns
 * @param mean per-channel mean, one value per channel
 * @param std per-channel standard deviation, one positive value per channel
 * @param resize the resampling filter, {@link #AREA} or {@link #BILINEAR}
 * @since 0.1
 */
public record InputContract(
    int channels, int height, int width, List<Double> mean, List<Double> std, String resize) {

  /** Area averaging: each output pixel is the mean of the source pixels it covers. */
  public static final String AREA = "area";

  /** Bilinear interpolation with half-pixel centres. */
  public static final String BILINEAR = "bilinear";

  /** FER2013's 48×48 grayscale faces, scaled to [-1, 1]. */
  public static final InputContract FER2013 =
      new InputContract(1, 48, 48, List.of(0.5), List.of(0.5), AREA);

  /**
   * Validates and copies the values.
   *
   * @throws IllegalArgumentException on an unsupported channel count, size, statistics or filter
   */
  public InputContract {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("input channels must be 1 or 3, got " + channels);
    }
    if (height < 1 || width < 1 || height > 4096 || width > 4096) {
      throw new IllegalArgumentException("input size must be 1..4096, got " + height + "x" + width);
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.size() != channels || std.size() != channels) {
      throw new IllegalArgumentException(
          "need one mean and one std per channel (" + channels + "), got " + mean + " and " + std);
    }
    for (double s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be > 0, got " + std);
      }
    }
    resize = Objects.requireNonNull(resize, "resize").toLowerCase(Locale.ROOT);
    if (!resize.equals(AREA) && !resize.equals(BILINEAR)) {
      throw new IllegalArgumentException("resize must be area or bilinear, got " + resize);
    }
  }

  /**
   * Returns the shape of one preprocessed image.
   *
   * @return {@code channels × height × width}
   */
  public FeatureShape shape() {
    return FeatureShape.map(channels, height, width);
  }

  /**
   * Returns the number of floats one image takes.
   *
   * @return channels × height × width
   */
  public int imageSize() {
    return channels * height * width;
  }
}
