/**
 * The {@code tensorflow} backend: model packages run on DJL's TensorFlow engine as SavedModels
 * ({@link io.github.emotion4j.backend.tensorflow.TensorFlowBackend}), export of packages to
 * SavedModels for TensorFlow Serving or Python ({@link
 * io.github.emotion4j.backend.tensorflow.SavedModelExporter}), and classifiers over SavedModels
 * made elsewhere ({@link io.github.emotion4j.backend.tensorflow.SavedModels}). TensorFlow's
 * natives come from Maven Central and are extracted once ({@link
 * io.github.emotion4j.backend.tensorflow.TensorFlowNatives}).
 *
 * @since 0.1
 */
package io.github.emotion4j.backend.tensorflow;
