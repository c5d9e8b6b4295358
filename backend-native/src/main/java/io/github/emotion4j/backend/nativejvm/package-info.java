/**
 * The native backend: a pure-JVM inference engine for emotion4j model packages, with no native
 * code, no download and no engine to start.
 *
 * <p>Hosts select it as {@code backend("native")}; it is registered through {@link
 * java.util.ServiceLoader} as {@link io.github.emotion4j.backend.nativejvm.NativeBackend}. It runs
 * on any JVM 17+. When the host enables the Java Vector API ({@code --add-modules
 * jdk.incubator.vector}) its convolution and dense kernels use explicit SIMD; otherwise they run as
 * plain loops that the JIT compiler vectorises where it can. The system property {@value
 * io.github.emotion4j.backend.nativejvm.NativeBackend#VECTOR_PROPERTY}{@code =false} forces the
 * plain loops.
 *
 * <p>It also trains: {@link io.github.emotion4j.backend.nativejvm.NativeTrainer}, registered as a
 * {@link io.github.emotion4j.spi.ModelTrainer} named {@code "native"}, runs the api's training
 * facade on the same kernels (select it with {@code TrainingConfig.Builder.backend("native")} or
 * {@code train --backend native}). Its steps match the PyTorch trainer's to 1e-4 and are the same on
 * any number of cores for a given seed.
 *
 * @since 0.1
 */
package io.github.emotion4j.backend.nativejvm;
