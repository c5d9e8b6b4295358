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
 * @since 0.1
 */
package io.github.emotion4j.backend.nativejvm;
