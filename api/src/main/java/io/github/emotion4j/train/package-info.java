/**
 * Training and evaluation: labelled image sets ({@link io.github.emotion4j.train.LabelledImages}),
 * an immutable {@link io.github.emotion4j.train.TrainingConfig}, the {@link
 * io.github.emotion4j.train.Training} facade that finds a training backend through the SPI, and
 * {@link io.github.emotion4j.train.Evaluation} metrics.
 *
 * <pre>{@code
 * LabelledImages train = LabelledImages.fromFolder(Path.of("fer2013/train"), LabelSet.FER2013);
 * LabelledImages val = LabelledImages.fromFolder(Path.of("fer2013/val"), LabelSet.FER2013);
 * TrainingConfig config = TrainingConfig.builder(NetworkPreset.VGG_BN).epochs(30).build();
 * TrainingResult result = Training.train(config, train, val, TrainingListener.NONE);
 * result.model().save(Path.of("my-model.zip"));
 * }</pre>
 *
 * @since 0.1
 */
package io.github.emotion4j.train;
