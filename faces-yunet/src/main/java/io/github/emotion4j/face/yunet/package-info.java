/**
 * The YuNet face detector on ONNX Runtime: {@link io.github.emotion4j.face.yunet.YuNetFaceDetector},
 * registered as {@code "yunet"} for {@link io.github.emotion4j.face.FaceDetector#load(String)}. The
 * model (about 0.24 MB) is inside the jar; nothing is downloaded.
 *
 * @since 0.1
 */
package io.github.emotion4j.face.yunet;
