package io.github.emotion4j.zoo;

/**
 * Hears the progress of a model download, e.g. to draw a progress bar. Called on the downloading
 * thread: first with {@code bytesDone == 0}, then after each chunk with a growing count, last with
 * {@code bytesDone == bytesTotal} once all bytes arrived (before the sha256 check). A retry starts
 * again at 0. An exception thrown here aborts the download and leaves the cache unchanged.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DownloadListener {
  /** A listener that ignores everything. */
  DownloadListener NONE = (model, done, total) -> { };

  /**
   * Reports progress.
   *
   * @param model the model being downloaded
   * @param bytesDone bytes received so far in this attempt
   * @param bytesTotal the file's size, or -1 if neither the server nor the index says
   */
  void progress(ZooEntry model, long bytesDone, long bytesTotal);
}
