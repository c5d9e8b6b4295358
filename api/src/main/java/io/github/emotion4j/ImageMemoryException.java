package io.github.emotion4j;

/**
 * A valid image whose decoded pixels do not fit in the memory left to this JVM (or in the
 * configured decoding budget): not damage. Decoding it subsampled (as {@link EmotionClassifier}
 * does) or with more heap ({@code -Xmx}) succeeds.
 *
 * @since 0.1
 */
public class ImageMemoryException extends InvalidImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which image, its size, what it needs and how to fix it
   * @param cause the underlying error, or null
   */
  public ImageMemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
