/**
 * The {@code onnxruntime} backend: ONNX Runtime through DJL's OnnxRuntime engine, the fastest CPU
 * engine emotion4j runs on. Add {@code io.github.emotion4j:emotion4j-backend-onnxruntime} and select
 * it with {@code EmotionClassifier.builder().backend("onnxruntime")}, or let AUTO pick it by rank.
 *
 * <p>Three public entry points besides the service class {@link
 * io.github.emotion4j.backend.onnxruntime.OnnxRuntimeBackend}: {@link
 * io.github.emotion4j.backend.onnxruntime.OnnxExporter} writes any model package as an ONNX file
 * (opset 13, dynamic batch, labels, input contract and provenance in the metadata properties);
 * {@link io.github.emotion4j.backend.onnxruntime.OnnxModels} runs an ONNX file emotion4j did not
 * build, described by an {@link io.github.emotion4j.model.ModelSidecar}.
 *
 * @since 0.1
 */
package io.github.emotion4j.backend.onnxruntime;
