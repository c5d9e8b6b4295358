/**
 * emotion4j: which emotion a face shows, on the engine the host picks.
 *
 * <p>Hosts use this package only: {@link io.github.emotion4j.EmotionClassifier} and its
 * {@link io.github.emotion4j.EmotionClassifierBuilder builder}, the results
 * ({@link io.github.emotion4j.EmotionScores}), the {@link io.github.emotion4j.LabelSet label sets},
 * the {@link io.github.emotion4j.Device device} choice and the exceptions. Backend authors implement
 * {@link io.github.emotion4j.spi}; hosts can ignore that package.
 *
 * @since 0.1
 */
package io.github.emotion4j;
