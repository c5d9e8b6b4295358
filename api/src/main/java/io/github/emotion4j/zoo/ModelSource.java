package io.github.emotion4j.zoo;

/**
 * Where a {@link ZooEntry} comes from. The zoo looks in this order and takes the first repository
 * that has the model.
 *
 * @since 0.1
 */
public enum ModelSource {
  /** Bundled in a jar on the class path, listed by {@code io/github/emotion4j/models/index.json}. */
  BUNDLED,
  /** A local directory ({@code emotion4j.zoo.dir}) holding package zips and maybe an index. */
  LOCAL_DIRECTORY,
  /** The download cache ({@code emotion4j.cache.dir}): verified earlier downloads. */
  CACHE,
  /** The HTTP(S) mirror ({@code emotion4j.zoo.url}); using it downloads into the cache. */
  REMOTE
}
