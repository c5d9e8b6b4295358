/**
 * emotion4j on Apache Spark: classify a DataFrame of images on a cluster.
 *
 * <p>Hosts use {@link io.github.emotion4j.spark.EmotionSpark#classify(org.apache.spark.sql.Dataset,
 * SparkEmotionOptions)} with {@link io.github.emotion4j.spark.SparkEmotionOptions}; the input is
 * Spark's {@code binaryFile} source or any DataFrame with a column of image bytes or paths. Each
 * executor JVM loads the model once and classifies each partition in batches; an unreadable image
 * gives an error in its row instead of failing the job. See {@code docs/SPARK.md}.
 *
 * @since 0.1
 */
package io.github.emotion4j.spark;
