/**
 * Faces in whole photos: find every face, then classify each.
 *
 * <p>Hosts use {@link io.github.emotion4j.face.FaceEmotionAnalyzer}, built from an {@link
 * io.github.emotion4j.EmotionClassifier} and a {@link io.github.emotion4j.face.FaceDetector}; it
 * returns one {@link io.github.emotion4j.face.FaceResult} per face, largest first. Detectors are
 * found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.github.emotion4j.face.FaceDetector}) and live in their own modules, so the
 * api itself needs no native code: add {@code io.github.emotion4j:emotion4j-faces-yunet} for the
 * YuNet detector on ONNX Runtime.
 *
 * @since 0.1
 */
package io.github.emotion4j.face;
